import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '@openclaw-tenancy/shared';
import { TenantRegistry, parseTenantRecordText, serializeTenantRecord } from '../src';
import { tenant } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeRaw(name: string, text: string) {
  fs.mkdirSync(path.join(dir, 'tenants'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tenants', name), text);
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('registry files', () => {
  it('round-trips a record byte for byte with a fixed key order', () => {
    const text = serializeTenantRecord(tenant());
    expect(text).toBe(`# Tenant registry entry. Managed by the provisioner and the \`tenants\` CLI; no e-mail, no secrets.
apiVersion: openclaw.io/v1
kind: Tenant
id: alice
owner: 5f0c1e2a-1111-4000-8000-000000000001
tier: standard
runtime: runc
status: active
createdAt: 2026-11-25T10:00:00Z
`);
    expect(serializeTenantRecord(parseTenantRecordText(text, 'tenants/alice.yaml'))).toBe(text);
  });

  it.each([
    ['not YAML', 'id: [unclosed', '', 'is not valid YAML'],
    ['duplicate keys', `${serializeTenantRecord(tenant())}id: alice\n`, '', 'is not valid YAML'],
    [
      'an e-mail instead of the owner sub',
      serializeTenantRecord(tenant()).replace(/owner: .*/, 'owner: alice@example.com'),
      'owner',
      'not an e-mail',
    ],
    ['an unknown key', `${serializeTenantRecord(tenant())}email: alice@example.com\n`, 'email', 'unknown key'],
    ['a bad status', serializeTenantRecord(tenant()).replace('status: active', 'status: gone'), 'status', 'not one of'],
    ['an id that differs from the file name', serializeTenantRecord(tenant('bob')), 'id', 'does not match the file name'],
    ['a list instead of a mapping', '- a\n- b\n', '', 'expected an object'],
  ])('rejects %s, naming the file and field', (_what, text, field, message) => {
    const error = errorOf(() => parseTenantRecordText(text, 'tenants/alice.yaml'));
    expect(error.source).toBe('tenants/alice.yaml');
    expect(error.issues[0]).toMatchObject({ path: field });
    expect(error.issues[0]?.message).toContain(message);
  });

  it('keeps every optional field (always-on, its own image build) and writes them in one order whatever order they came in', () => {
    const full = {
      ...tenant('alice'),
      alwaysOn: true,
      image: { pinned: true, digest: `sha256:${'b'.repeat(64)}`, tag: '2026.10.1' },
      monthlyBudgetUsd: 20,
    };
    const text = serializeTenantRecord(full);
    expect(parseTenantRecordText(text, 'tenants/alice.yaml')).toEqual(full);
    expect(text).toContain(`alwaysOn: true\nimage:\n  tag: 2026.10.1\n  digest: sha256:${'b'.repeat(64)}\n  pinned: true\n`);
    expect(serializeTenantRecord(parseTenantRecordText(text, 'tenants/alice.yaml'))).toBe(text);
  });

  it('reads all records sorted, skipping nothing silently', () => {
    const registry = new TenantRegistry(dir);
    registry.write(tenant('carol'));
    registry.write(tenant('alice'));
    expect(registry.readAll().map((r) => r.id)).toEqual(['alice', 'carol']);
  });

  it('fails the whole read when any file is malformed, listing every bad file', () => {
    const registry = new TenantRegistry(dir);
    registry.write(tenant('alice'));
    writeRaw('bob.yaml', 'id: bob\n');
    writeRaw('Bad_Name.yaml', serializeTenantRecord(tenant()));
    writeRaw('notes.txt', 'hello');
    const error = errorOf(() => registry.readAll());
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['tenants/Bad_Name.yaml', 'tenants/notes.txt', 'tenants/bob.yaml: apiVersion', 'tenants/bob.yaml: owner']),
    );
    expect(error.message).toMatch(/^the tenant registry is invalid:/);
  });

  it('writes atomically and reports whether anything changed', () => {
    const registry = new TenantRegistry(dir);
    expect(registry.write(tenant())).toBe(true);
    expect(registry.write(tenant())).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'tenants'))).toEqual(['alice.yaml']);
  });
});
