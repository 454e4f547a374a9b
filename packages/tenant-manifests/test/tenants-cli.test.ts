import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidTenantIdError, TenantStateError } from '@openclaw-tenancy/shared';
import { GitOpsWorkspace, TenantRegistry } from '../src';
import { UsageError, runTenantsCommand } from '../src/cli/tenants';
import { exampleConfig } from './fixtures';

let ws: GitOpsWorkspace;
const clock = () => new Date('2026-11-25T12:00:00Z');
const run = (...argv: string[]) => runTenantsCommand(argv, ws, clock);
const sub = '0b9f4a62-7c1d-4e3f-9a8b-123456789abc';

beforeEach(() => {
  const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-cli-'));
  ws = { repoRoot, configPath: 'example', config: exampleConfig, registry: new TenantRegistry(repoRoot) };
});
afterEach(() => fs.rmSync(ws.repoRoot, { recursive: true, force: true }));

const tree = () => (fs.existsSync(path.join(ws.repoRoot, 'deploy')) ? fs.readdirSync(path.join(ws.repoRoot, 'deploy/tenants')) : []);

describe('tenants CLI', () => {
  it('adds a tenant: registry file plus only its folder', () => {
    const result = run('add', 'alice', '--owner', sub, '--tier', 'large', '--runtime', 'gvisor', '--budget', '250', '--json');
    expect(result.json).toMatchObject({
      tenant: {
        id: 'alice',
        owner: sub,
        tier: 'large',
        runtime: 'gvisor',
        status: 'active',
        createdAt: '2026-11-25T12:00:00Z',
        monthlyBudgetUsd: 250,
      },
      written: ['deploy/tenants/alice/manifests.yaml'],
      removed: [],
    });
    expect(fs.existsSync(path.join(ws.repoRoot, 'tenants/alice.yaml'))).toBe(true);
    expect(tree()).toEqual(['alice']);
  });

  it('lists, shows, suspends, resumes and removes', () => {
    run('add', 'alice', '--owner', sub);
    expect(run('list', '--json').json).toHaveLength(1);
    expect(run('show', 'alice', '--json').json).toMatchObject({ id: 'alice', status: 'active' });
    expect(run('suspend', 'alice', '--reason', 'budget').json).toMatchObject({
      tenant: { status: 'suspended', statusReason: 'budget' },
      written: ['deploy/tenants/alice/manifests.yaml'],
    });
    expect(fs.readFileSync(path.join(ws.repoRoot, 'deploy/tenants/alice/manifests.yaml'), 'utf8')).toContain('replicas: 0');
    expect(run('resume', 'alice').json).toMatchObject({ tenant: { status: 'active' } });
    expect(run('remove', 'alice').json).toMatchObject({
      tenant: { status: 'deleted', deletedAt: '2026-11-25T12:00:00Z' },
      written: ['deploy/tenants/alice/manifests.yaml'],
      removed: [],
    });
    // The folder stays with the retained data only: Argo CD prunes the workload and the route.
    expect(tree()).toEqual(['alice']);
    const retained = fs.readFileSync(path.join(ws.repoRoot, 'deploy/tenants/alice/manifests.yaml'), 'utf8');
    expect(retained).toContain('kind: PersistentVolumeClaim');
    expect(retained).not.toMatch(/kind: (Deployment|HTTPRoute|SecurityPolicy)/);
    expect(run('list', '--status', 'deleted', '--json').json).toHaveLength(1);
  });

  it.each([
    [['add', 'Alice', '--owner', sub], InvalidTenantIdError, /only lower-case/],
    [['add', 'kube-system', '--owner', sub], InvalidTenantIdError, /reserved/],
    [['add', 'alice'], UsageError, /--owner <cognito-sub> is required/],
    [['add', 'alice', '--owner', 'alice@example.com'], UsageError, /not an e-mail/],
    [['add', 'alice', '--owner', sub, '--tier', 'gold'], UsageError, /--tier must be one of standard, large/],
    [['add', 'alice', '--owner', sub, '--budget', '-5'], UsageError, /--budget/],
    [['add', 'alice', '--owner', sub, '--colour', 'red'], UsageError, /unknown option --colour/],
    [['add', 'alice', '--owner'], UsageError, /--owner needs a value/],
    [['show', 'nobody'], UsageError, /no tenant "nobody"/],
    [['list', '--status', 'gone'], UsageError, /--status must be one of/],
    [['frobnicate'], UsageError, /unknown command/],
  ])('%j fails clearly and writes nothing', (argv, type, message) => {
    expect(() => run(...(argv as string[]))).toThrow(type as any);
    expect(() => run(...(argv as string[]))).toThrow(message);
    expect(fs.readdirSync(ws.repoRoot)).toEqual([]);
  });

  it('never reuses an id, and one owner gets one tenant', () => {
    run('add', 'alice', '--owner', sub);
    expect(() => run('add', 'alice', '--owner', 'another-owner-1')).toThrow(/already exists/);
    expect(() => run('add', 'alice2', '--owner', sub)).toThrow(/already has tenant "alice"/);
    run('remove', 'alice');
    expect(() => run('add', 'alice', '--owner', 'another-owner-1')).toThrow(/offboarded tenant and is never reused/);
    expect(() => run('resume', 'alice')).toThrow(TenantStateError);
  });
});
