import { FALLBACK_TENANT_ID_BASE, MAX_TENANT_ID_BASE_LENGTH, deriveTenantIdBase, isValidTenantId, tenantIdCandidates } from '../src';

describe('deriveTenantIdBase', () => {
  it.each([
    ['alice@example.com', 'alice'],
    ['Jane.Doe@example.com', 'jane-doe'],
    ['jane_doe+openclaw@example.com', 'jane-doe'],
    ['007bond@example.com', 'u-007bond'],
    ['a.-.b@example.com', 'a-b'],
    ['___@example.com', FALLBACK_TENANT_ID_BASE],
    ['x@example.com', FALLBACK_TENANT_ID_BASE],
    ['admin@example.com', FALLBACK_TENANT_ID_BASE],
    ['kube-ops@example.com', FALLBACK_TENANT_ID_BASE],
  ])('%s → %s', (email, base) => {
    expect(deriveTenantIdBase(email)).toBe(base);
  });

  it('never contains the domain', () => {
    expect(deriveTenantIdBase('alice@secret-project.example.com')).not.toContain('secret');
  });

  it('truncates to leave room for a collision suffix', () => {
    const base = deriveTenantIdBase(`${'a'.repeat(60)}@example.com`);
    expect(base).toHaveLength(MAX_TENANT_ID_BASE_LENGTH);
    for (const c of tenantIdCandidates(base, '9f1c2b3a-0000-4000-8000-000000000000')) expect(isValidTenantId(c)).toBe(true);
  });

  it('throws on an invalid address', () => {
    expect(() => deriveTenantIdBase('"x"@evil.com')).toThrow(/invalid e-mail address/);
  });
});

describe('tenantIdCandidates', () => {
  it('is deterministic and ends with an owner-unique candidate', () => {
    const sub = '9F1C2B3A-1111-4000-8000-000000000000';
    const candidates = tenantIdCandidates('alice', sub);
    expect(candidates).toEqual([
      'alice',
      'alice-2',
      'alice-3',
      'alice-4',
      'alice-5',
      'alice-6',
      'alice-7',
      'alice-8',
      'alice-9',
      'alice-9f1c2b3a',
    ]);
    expect(tenantIdCandidates('alice', sub)).toEqual(candidates);
  });
});
