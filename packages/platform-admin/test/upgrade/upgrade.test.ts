import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { tenantNames } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, TENANT_MANIFEST_FILE } from '@openclaw-tenancy/tenant-manifests';
import { parseAllDocuments } from 'yaml';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';
import { AdminFixture, captureIo, startAdminFixture, tenant } from '../support/lifecycle-fixture';

jest.setTimeout(120_000);

const TENANTS = ['alice', 'bob', 'carol'];

/**
 * The cluster at the HTTP boundary: each tenant's Deployment is the one its
 * folder at the tip of main holds (Argo CD applied it), as the API server
 * returns it — server-set metadata and a status. A pod of an image in
 * `broken` never becomes ready: the Deployment stops progressing and Argo CD
 * reports the application Degraded. The client checks every response
 * against the vendored schemas.
 */
class ClusterStandIn {
  readonly broken = new Set<string>();
  server!: http.Server;
  url = '';
  constructor(private readonly fx: AdminFixture) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.headers.authorization !== 'Bearer ops-token') return reply(401, { kind: 'Status', code: 401 });
      const deployment = /^\/apis\/apps\/v1\/namespaces\/openclaw-([a-z0-9-]+)\/deployments\/openclaw-gateway$/.exec(req.url ?? '');
      const application = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/argocd\/applications\/tenant-([a-z0-9-]+)$/.exec(req.url ?? '');
      const id = deployment?.[1] ?? application?.[1];
      const served = id ? this.deployment(id) : undefined;
      if (!served) return reply(404, { kind: 'Status', code: 404 });
      if (application) return reply(404, { kind: 'Status', code: 404 });
      return reply(200, served);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private deployment(id: string): Record<string, unknown> | undefined {
    const text = this.fx.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`);
    const object = parseAllDocuments(text ?? '')
      .map((d) => d.toJS() as { kind?: string; metadata?: Record<string, unknown>; spec?: any })
      .find((o) => o?.kind === 'Deployment');
    if (!object) return undefined;
    const replicas: number = object.spec.replicas ?? 1;
    const image: string = object.spec.template.spec.containers[0].image;
    const stuck = this.broken.has(image);
    const at = '2026-11-20T09:01:00Z';
    return {
      ...object,
      metadata: { ...object.metadata, uid: '6f1c1f9e-5d1a-4d0e-9a55-0c3a8f1d2b11', resourceVersion: '48213', generation: 2 },
      status: {
        observedGeneration: 2,
        ...(replicas > 0
          ? { replicas, updatedReplicas: replicas, ...(stuck ? {} : { readyReplicas: replicas, availableReplicas: replicas }) }
          : {}),
        conditions: stuck
          ? [
              { type: 'Available', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'MinimumReplicasUnavailable' },
              { type: 'Progressing', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'ProgressDeadlineExceeded' },
            ]
          : [
              { type: 'Available', status: 'True', lastUpdateTime: at, lastTransitionTime: at, reason: 'MinimumReplicasAvailable' },
              { type: 'Progressing', status: 'True', lastUpdateTime: at, lastTransitionTime: at, reason: 'NewReplicaSetAvailable' },
            ],
      },
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('upgrade and pin: waves by Git commits, gated on the Deployments the API server reports', () => {
  let fx: AdminFixture;
  let cluster: ClusterStandIn;
  let dir: string;
  let kubeconfig: string;

  beforeEach(async () => {
    fx = await startAdminFixture();
    await fx.seed([
      ...TENANTS.map((id, i) => tenant(id, `owner-${id}-000${i}`)),
      tenant('dave', 'owner-dave-0009', { image: { tag: '2026.8.1', pinned: true } }),
    ]);
    cluster = new ClusterStandIn(fx);
    await cluster.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-admin-upgrade-'));
    kubeconfig = path.join(dir, 'kubeconfig.json');
    fs.writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'ops',
        contexts: [{ name: 'ops', context: { cluster: 'c', user: 'u' } }],
        clusters: [{ name: 'c', cluster: { server: cluster.url } }],
        users: [{ name: 'u', user: { token: 'ops-token' } }],
      }),
    );
  });
  afterEach(async () => {
    await cluster.close();
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function admin(command: 'upgrade' | 'pin', ...args: string[]) {
    const io = captureIo();
    const code = await runLifecycleCommand(command, [...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
      baseDir: process.cwd(),
      stdout: io.stdout,
      stderr: io.stderr,
      gitOpsFor: () => ({ repository: fx.repository, renderer: fx.ports.renderer }),
      sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
      pollIntervalMs: 1,
    });
    return { code, out: io.out(), err: io.err() };
  }
  const imageOf = (id: string) => /^\s+image: (\S+)$/m.exec(fx.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`) ?? '')?.[1];
  const folders = () => TENANTS.map((id) => fx.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`));

  it('rolls a build out to one tenant, then the rest, one commit per wave, passing the pinned tenant by', async () => {
    const repo = fx.config.image.repository;
    const r = await admin('upgrade', '--image', '2026.10.1', '--waves', '1,100%', '--kubeconfig', kubeconfig, '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ image: `${repo}:2026.10.1`, total: 3, done: 3, complete: true, pinned: { dave: '2026.8.1' } });
    expect(result.waves.map((w: { tenants: string[] }) => w.tenants)).toEqual([['alice'], ['bob', 'carol']]);
    expect(fx.log().slice(0, 2)).toEqual(['Roll out 2026.10.1 to wave 2: bob, carol', 'Roll out 2026.10.1 to wave 1: alice']);
    for (const id of TENANTS) expect(imageOf(id)).toBe(`${repo}:2026.10.1`);
    expect(imageOf('dave')).toBe(`${repo}:2026.8.1`);
    expect(r.err).toContain('wave 1 of 2: alice →');
    expect(r.err).toContain('  alice: healthy');
  });

  it('a wave whose Deployment stops progressing stops the rollout (exit 4) with the others untouched; --rollback returns it', async () => {
    const repo = fx.config.image.repository;
    cluster.broken.add(`${repo}:2026.99.0`);
    const before = folders();
    const r = await admin('upgrade', '--image', '2026.99.0', '--waves', '1,100%', '--kubeconfig', kubeconfig, '--json');
    expect(r.code).toBe(EXIT_CODES.stopped);
    const body = JSON.parse(r.out);
    expect(body.stoppedBy).toBe('unhealthy');
    expect(body.error).toContain('wave 1: alice failed on');
    expect(body.rollout.waves[0].health.alice.detail).toContain('Progressing=False');
    expect(imageOf('alice')).toBe(`${repo}:2026.99.0`);
    expect(folders().slice(1)).toEqual(before.slice(1));

    const back = await admin('upgrade', '--rollback', '--kubeconfig', kubeconfig);
    expect(back.code).toBe(EXIT_CODES.ok);
    expect(back.out).toContain(`${repo}:${fx.config.image.tag}: 3 of 3 tenants (every one)`);
    expect(folders()).toEqual(before);
  });

  it('plans without a cluster on --dry-run, and refuses bad input with exit 2 and no commit', async () => {
    const commits = fx.log().length;
    const plan = await admin('upgrade', '--image', '2026.10.1', '--dry-run');
    expect(plan.code).toBe(EXIT_CODES.ok);
    expect(plan.out).toContain(
      'would roll ghcr.io/openclaw/openclaw:2026.10.1 out to 3 of 3 tenants:\n  wave 1: alice\n  wave 2: bob, carol',
    );
    for (const args of [
      ['--image', '2026.10.1'],
      ['--image', '2026.10.1', '--rollback', '--dry-run'],
      ['--dry-run'],
      ['--image', 'latest', '--dry-run'],
      ['--image', 'evil.example/openclaw:1', '--dry-run'],
      ['--image', '2026.10.1', '--waves', '10%,5%', '--dry-run'],
      ['--image', '2026.10.1', '--wave-timeout', 'soon', '--dry-run'],
    ]) {
      const r = await admin('upgrade', ...args);
      expect({ args, code: r.code }).toEqual({ args, code: EXIT_CODES.usage });
    }
    expect(fx.log().length).toBe(commits);
  });

  it('pin holds a tenant on a build that upgrade passes by; release returns it; unknown tenants are refused (exit 3)', async () => {
    const pin = await admin('pin', 'bob', '--image', '2026.10.1');
    expect(pin.code).toBe(EXIT_CODES.ok);
    expect(pin.out).toMatch(/^bob: 2026\.9\.6 → 2026\.10\.1 \(pinned: rollouts pass it by\) in commit [0-9a-f]{40}\n$/);
    const plan = JSON.parse((await admin('upgrade', '--image', '2026.11.1', '--dry-run', '--json')).out);
    expect(plan.pinned).toEqual({ bob: '2026.10.1', dave: '2026.8.1' });
    expect((await admin('pin', 'bob', '--release')).code).toBe(EXIT_CODES.ok);
    expect(fx.show('tenants/bob.yaml')).not.toContain('image');
    expect((await admin('pin', 'zed', '--image', '2026.10.1')).code).toBe(EXIT_CODES.refused);
    expect((await admin('pin', 'bob')).code).toBe(EXIT_CODES.usage);
  });
});
