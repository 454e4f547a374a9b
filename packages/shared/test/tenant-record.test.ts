import { IssueCollector, newTenantRecord, resumeTenant, suspendTenant, tombstoneTenant, validateTenantRecord } from '../src';

const base = () =>
  newTenantRecord({
    id: 'alice',
    owner: '5f0c1e2a-1111-4000-8000-000000000001',
    tier: 'standard',
    runtime: 'runc',
    createdAt: new Date('2026-11-25T10:00:00.123Z'),
  });

function check(raw: unknown, expectedId?: string) {
  const issues = new IssueCollector();
  validateTenantRecord(raw, issues, expectedId);
  return issues.issues;
}

describe('tenant records', () => {
  it('creates an active record without sub-second noise', () => {
    expect(base()).toEqual({
      apiVersion: 'openclaw.io/v1',
      kind: 'Tenant',
      id: 'alice',
      owner: '5f0c1e2a-1111-4000-8000-000000000001',
      tier: 'standard',
      runtime: 'runc',
      status: 'active',
      createdAt: '2026-11-25T10:00:00Z',
    });
    expect(check(base(), 'alice')).toEqual([]);
  });

  it('moves through suspend, resume and tombstone idempotently', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const suspended = suspendTenant(base(), at, 'budget');
    expect(suspended).toMatchObject({ status: 'suspended', suspendedAt: '2026-12-01T00:00:00Z', statusReason: 'budget' });
    expect(suspendTenant(suspended, new Date(), 'other')).toBe(suspended);
    expect(resumeTenant(suspended)).toEqual(base());
    const gone = tombstoneTenant(suspended, at);
    expect(gone).toMatchObject({ status: 'deleted', deletedAt: '2026-12-01T00:00:00Z', statusReason: 'offboarded' });
    expect(gone).not.toHaveProperty('suspendedAt');
    expect(tombstoneTenant(gone, new Date())).toBe(gone);
    expect(() => resumeTenant(gone)).toThrow(/stays taken/);
    expect(() => suspendTenant(gone, at, 'x')).toThrow(/deleted/);
    expect(check(gone)).toEqual([]);
  });

  it.each([
    ['id', { id: 'Alice' }, 'only lower-case'],
    ['owner', { owner: 'alice@example.com' }, 'not an e-mail'],
    ['tier', { tier: 'gold' }, 'not one of'],
    ['status', { status: 'paused' }, 'not one of'],
    ['createdAt', { createdAt: 'yesterday' }, 'ISO-8601'],
    ['deletedAt', { status: 'deleted' }, 'needs deletedAt'],
    ['suspendedAt', { status: 'suspended' }, 'needs suspendedAt'],
    ['email', { email: 'alice@example.com' }, 'unknown key'],
    ['monthlyBudgetUsd', { monthlyBudgetUsd: -1 }, 'at least 0'],
    [
      'inferenceProfiles.opus',
      { inferenceProfiles: { opus: 'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.x' } },
      'not a Bedrock application inference profile ARN',
    ],
    [
      'inferenceProfiles.Opus',
      { inferenceProfiles: { Opus: 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/abc123' } },
      'not a model alias',
    ],
  ])('names %s when it is bad', (key, patch, message) => {
    const issues = check({ ...base(), ...patch });
    expect(issues.find((i) => i.path === key)?.message).toContain(message);
  });

  it('accepts the application inference profiles the provisioner records', () => {
    expect(
      check({
        ...base(),
        inferenceProfiles: { opus: 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/k3x9q2m4abcd' },
      }),
    ).toEqual([]);
  });

  it('accepts an image build of its own, and refuses one that names none or a moving tag', () => {
    expect(check({ ...base(), image: { tag: '2026.10.1', pinned: true } })).toEqual([]);
    expect(check({ ...base(), image: { pinned: true } })).toEqual([{ path: 'image', message: 'name a build: a tag, a digest or both' }]);
    expect(check({ ...base(), image: { tag: 'latest' } }).map((i) => i.path)).toEqual(['image.tag']);
    expect(check({ ...base(), image: { tag: '1.0', repository: 'evil.example/x' } }).map((i) => i.path)).toEqual(['image.repository']);
  });

  it('fails if the id differs from the file name', () => {
    expect(check(base(), 'bob')).toEqual([{ path: 'id', message: '"alice" does not match the file name (expected "bob")' }]);
  });
});
