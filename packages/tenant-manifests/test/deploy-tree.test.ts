import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tombstoneTenant } from '@openclaw-tenancy/shared';
import { synthesizeAll, syncTenantFolder, validateDeployTree, writeDeployTree } from '../src';
import { exampleConfig, tenant } from './fixtures';

let repo: string;
beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

const snapshotTree = (): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(repo, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(path.join(repo, 'deploy'));
  return out;
};

describe('deterministic synthesis into deploy/', () => {
  const records = [tenant('alice'), tenant('bob', 'large', 'gvisor')];

  it('is byte-identical on re-run and writes nothing the second time', () => {
    const first = writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    expect(first.written).toEqual([
      'deploy/platform/platform.yaml',
      'deploy/platform/tenant-admission.yaml',
      'deploy/platform/tenant-project/app-project.yaml',
      'deploy/platform/tenant-project/kustomization.yaml',
      'deploy/tenants/alice/manifests.yaml',
      'deploy/tenants/bob/manifests.yaml',
    ]);
    const before = snapshotTree();
    const second = writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    expect(second).toEqual({ written: [], unchanged: 6, removed: [] });
    expect(snapshotTree()).toEqual(before);
  });

  it('contains no timestamps or run-dependent values', () => {
    writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    for (const content of Object.values(snapshotTree())) expect(content).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
  });

  it('adding one tenant touches only its folder', () => {
    writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    const report = writeDeployTree(repo, synthesizeAll([...records, tenant('carol')], exampleConfig));
    expect(report.written).toEqual(['deploy/tenants/carol/manifests.yaml']);
    expect(report.removed).toEqual([]);
  });

  it("reduces a tombstoned tenant's folder to its retained data, and prunes a tenant no longer in the registry and stray files", () => {
    writeDeployTree(repo, synthesizeAll([...records, tenant('carol')], exampleConfig));
    fs.writeFileSync(path.join(repo, 'deploy/tenants/alice/stray.yaml'), 'x: 1\n');
    const report = writeDeployTree(repo, synthesizeAll([tombstoneTenant(records[0]!, new Date()), records[1]!], exampleConfig));
    expect(report.written).toEqual(['deploy/tenants/alice/manifests.yaml']);
    expect(report.removed).toEqual(['deploy/tenants/alice/stray.yaml', 'deploy/tenants/carol/manifests.yaml']);
    expect(fs.readdirSync(path.join(repo, 'deploy/tenants'))).toEqual(['alice', 'bob']);
  });

  it('in check mode reports drift and changes nothing', () => {
    writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    const file = path.join(repo, 'deploy/tenants/alice/manifests.yaml');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}# edited by hand\n`);
    const before = snapshotTree();
    const report = writeDeployTree(repo, synthesizeAll(records, exampleConfig), { check: true });
    expect(report.written).toEqual(['deploy/tenants/alice/manifests.yaml']);
    expect(snapshotTree()).toEqual(before);
  });

  it('syncing one tenant produces the same bytes as a full synthesis', () => {
    writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    const full = snapshotTree();
    fs.rmSync(path.join(repo, 'deploy/tenants/alice'), { recursive: true });
    expect(syncTenantFolder(repo, records[0]!, exampleConfig)).toEqual({ written: ['deploy/tenants/alice/manifests.yaml'], removed: [] });
    expect(snapshotTree()).toEqual(full);
    const tombstone = tombstoneTenant(records[0]!, new Date());
    expect(syncTenantFolder(repo, tombstone, exampleConfig)).toEqual({ written: ['deploy/tenants/alice/manifests.yaml'], removed: [] });
    expect(writeDeployTree(repo, synthesizeAll([tombstone, records[1]!], exampleConfig), { check: true }).written).toEqual([]);
  });

  it('the written tree passes blocking validation, and a broken file fails it', () => {
    writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    const ok = validateDeployTree(repo, { vpcCidr: exampleConfig.network.vpcCidr, serviceCidr: exampleConfig.network.serviceIpv4Cidr });
    // kustomization.yaml is kustomize's configuration, not a Kubernetes object: not counted.
    expect(ok).toMatchObject({ files: 5, schemaIssues: [], policyFindings: [], parseErrors: [] });
    const file = path.join(repo, 'deploy/tenants/bob/manifests.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false')
        .replace('enableServiceLinks: false', 'enableServiceLinks: false\n      hostAliases2: []'),
    );
    const bad = validateDeployTree(repo, { vpcCidr: exampleConfig.network.vpcCidr, serviceCidr: exampleConfig.network.serviceIpv4Cidr });
    expect(bad.policyFindings.map((f) => f.control)).toContain('POD-READONLY-ROOT');
    expect(bad.schemaIssues.map((i) => i.message)).toContain('unknown field "hostAliases2"');
  });

  it("a tenant folder reaching beyond its namespace fails validation by Argo CD's rules and the admission policies", () => {
    writeDeployTree(repo, synthesizeAll(records, exampleConfig));
    const file = path.join(repo, 'deploy/tenants/bob/manifests.yaml');
    fs.writeFileSync(
      file,
      `${fs.readFileSync(file, 'utf8')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: argocd\n`,
    );
    const controls = validateDeployTree(repo, {
      vpcCidr: exampleConfig.network.vpcCidr,
      serviceCidr: exampleConfig.network.serviceIpv4Cidr,
    }).policyFindings.map((f) => `${f.control}: ${f.message.split(' ')[0]}`);
    expect(controls).toEqual(
      expect.arrayContaining(['ARGOCD-PROJECT: resource', 'openclaw-tenant-application-scope: [TENANT-OWN-NAMESPACE]']),
    );
  });
});
