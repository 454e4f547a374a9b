import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newTenantRecord, suspendTenant } from '@openclaw-tenancy/shared';
import {
  renderManifestYaml,
  serializeTenantRecord,
  synthesizeTenantFiles,
  synthesizeTenantObjects,
} from '@openclaw-tenancy/tenant-manifests';
import { HOSTILE_TENANT_FOLDERS } from '@openclaw-tenancy/tenant-manifests/testing';
import { TEST_LOCAL_CONFIG } from './support/local-config';
import { ensureBareRepository, gitEnv } from '../src/gitops/local-gitops-repository';
import { resolveSystemCommands } from '../src/host/system-commands';
import { GitOpsReconciler, TenantPods } from '../src/reconciler/gitops-reconciler';
import { TenantFences } from '../src/reconciler/tenant-fences';
import type { TenantWorkload } from '../src/reconciler/tenant-workload';

const config = TEST_LOCAL_CONFIG;
const createdAt = new Date('2026-11-25T10:00:00Z');
const record = (id: string) => newTenantRecord({ id, owner: `${id}-owner-0001`, tier: 'standard', runtime: 'runc', createdAt });

function tenantFiles(r: ReturnType<typeof record>): Record<string, string> {
  const files: Record<string, string> = { [`tenants/${r.id}.yaml`]: serializeTenantRecord(r) };
  for (const f of synthesizeTenantFiles(r, config)) files[f.path] = f.content;
  return files;
}

describe('GitOps reconciler against a real bare repository', () => {
  let root: string;
  let bare: string;
  let reconciler: GitOpsReconciler;
  const applied: Array<{ tenantId: string; revision: string | undefined }> = [];
  const logs: string[] = [];
  const known = new Set<string>();
  const pods: TenantPods = {
    apply(tenantId, workload: TenantWorkload | undefined) {
      applied.push({ tenantId, revision: workload?.revision });
      if (workload) known.add(tenantId);
    },
    known: () => [...known],
  };

  function push(message: string, files: Record<string, string | null>): void {
    const work = fs.mkdtempSync(path.join(root, 'work-'));
    const env = gitEnv();
    execFileSync('git', ['clone', '--quiet', bare, work], { env });
    for (const [file, content] of Object.entries(files)) {
      if (content === null) fs.rmSync(path.join(work, file), { recursive: true, force: true });
      else {
        fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        fs.writeFileSync(path.join(work, file), content);
      }
    }
    execFileSync('git', ['-C', work, 'add', '-A'], { env });
    execFileSync('git', ['-C', work, 'commit', '--quiet', '-m', message], { env });
    execFileSync('git', ['-C', work, 'push', '--quiet', 'origin', 'HEAD:main'], { env });
  }

  async function settle(): Promise<void> {
    const tip = execFileSync('git', ['--git-dir', bare, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
    for (let i = 0; i < 100 && reconciler.syncedCommit !== tip; i++) await new Promise((r) => setTimeout(r, 50));
    expect(reconciler.syncedCommit).toBe(tip);
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'reconciler-'));
    bare = path.join(root, 'gitops.git');
    await ensureBareRepository(resolveSystemCommands().git, bare);
    reconciler = new GitOpsReconciler({
      git: resolveSystemCommands().git,
      bareRepo: bare,
      branch: 'main',
      pods,
      fences: new TenantFences(config),
      log: (l) => logs.push(l),
      pollMs: 200,
    });
    await reconciler.start();
  });

  afterAll(async () => {
    await reconciler.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs one gateway per active tenant, from that tenant’s synthesized manifests', async () => {
    applied.length = 0;
    push('Provision alice and bob', { ...tenantFiles(record('alice')), ...tenantFiles(record('bob')) });
    await settle();
    expect(applied.map((a) => a.tenantId).sort()).toEqual(['alice', 'bob']);
    expect(applied.every((a) => typeof a.revision === 'string')).toBe(true);
  });

  it('stops the gateway of a suspended tenant and of a tenant removed from the registry', async () => {
    applied.length = 0;
    const suspended = suspendTenant(record('bob'), new Date('2026-11-25T11:00:00Z'), 'budget');
    push('Suspend bob', { ...tenantFiles(suspended) });
    await settle();
    expect(applied).toContainEqual({ tenantId: 'bob', revision: undefined });
    applied.length = 0;
    push('Remove alice by hand', { 'tenants/alice.yaml': null, 'deploy/tenants/alice': null });
    await settle();
    expect(applied).toContainEqual({ tenantId: 'alice', revision: undefined });
  });

  it('reports a tenant whose manifests are missing once, and keeps the others running', async () => {
    applied.length = 0;
    logs.length = 0;
    push('Add carol without manifests', { 'tenants/carol.yaml': serializeTenantRecord(record('carol')), ...tenantFiles(record('dave')) });
    await settle();
    expect(logs).toEqual([
      'tenant carol: cannot run it: deploy/tenants/carol/manifests.yaml is missing at ' +
        execFileSync('git', ['--git-dir', bare, 'rev-parse', '--short=7', 'main'], { encoding: 'utf8' }).trim(),
    ]);
    expect(applied.find((a) => a.tenantId === 'dave')?.revision).toEqual(expect.any(String));
  });

  it('refuses each hostile tenant folder of the corpus with the rule it breaks, and keeps the running tenants as they were', async () => {
    push('Provision erin', tenantFiles(record('erin')));
    await settle();
    const erinRevision = applied.filter((a) => a.tenantId === 'erin').pop()?.revision;
    expect(erinRevision).toEqual(expect.any(String));
    const fences = new TenantFences(config);
    for (const [index, hostileCase] of HOSTILE_TENANT_FOLDERS.entries()) {
      applied.length = 0;
      logs.length = 0;
      // A new tenant per case: the reconciler reports a tenant's problem once per change.
      const id = `mallory-${index}`;
      const mallory = record(id);
      const objects = hostileCase.hostile(synthesizeTenantObjects(mallory, config), id, 'erin');
      // The previous case's tenant goes in the same commit, so each sync checks one hostile folder, not all so far.
      const previous = index > 0 ? { [`tenants/mallory-${index - 1}.yaml`]: null, [`deploy/tenants/mallory-${index - 1}`]: null } : {};
      push(`Hostile: ${hostileCase.description}`, {
        ...previous,
        [`tenants/${id}.yaml`]: serializeTenantRecord(mallory),
        [`deploy/tenants/${id}/manifests.yaml`]: renderManifestYaml(objects),
      });
      await settle();
      expect({
        rule: hostileCase.rule,
        mallory: applied.filter((a) => a.tenantId === id && a.revision !== undefined),
        erin: applied.filter((a) => a.tenantId === 'erin' && a.revision === undefined),
      }).toEqual({
        rule: hostileCase.rule,
        mallory: [],
        erin: [],
      });
      expect(logs.join('\n')).toContain(`[${hostileCase.rule}]`);
      // The compliant twin passes the same fences.
      const twinRecord = hostileCase.rule === 'TENANT-RUNTIME-TIER' ? { ...mallory, runtime: 'gvisor' as const } : mallory;
      expect(fences.refusals(id, renderManifestYaml(hostileCase.twin(synthesizeTenantObjects(twinRecord, config), id, 'erin')))).toEqual(
        [],
      );
    }
  }, 180_000);

  it('checks a folder that has no registry record (Argo CD would still make an Application for it) and reports the refusal', async () => {
    logs.length = 0;
    applied.length = 0;
    const ghost = record('ghost');
    const objects = HOSTILE_TENANT_FOLDERS.find((c) => c.rule === 'TENANT-NO-HOSTPATH')!.hostile(
      synthesizeTenantObjects(ghost, config),
      'ghost',
      'erin',
    );
    push('A folder without a registry record', { 'deploy/tenants/ghost/manifests.yaml': renderManifestYaml(objects) });
    await settle();
    expect(logs.join('\n')).toMatch(/folder deploy\/tenants\/ghost: refused .*\[TENANT-NO-HOSTPATH\]/);
    expect(applied.filter((a) => a.tenantId === 'ghost')).toEqual([]);
  });
});
