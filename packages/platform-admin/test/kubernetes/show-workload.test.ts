import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { tenantManifestsRenderer } from '@openclaw-tenancy/lambdas';
import { tenantNames } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, directoryParams, renderApplication, synthesizePlatformObjects } from '@openclaw-tenancy/tenant-manifests';
import { parseAllDocuments } from 'yaml';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { schemaVersionFor } from '../../src/kubernetes/tenant-workload';
import { AdminFixture, captureIo, eks, resetAwsMocks, secretsManager, startAdminFixture, tenant } from '../support/lifecycle-fixture';

jest.setTimeout(120_000);

/** The Deployment the tenant chart synthesizes, as the API server returns it once it runs (server-set metadata and status added). */
async function servedDeployment(fx: AdminFixture, status: Record<string, unknown>): Promise<Record<string, unknown>> {
  const files = await tenantManifestsRenderer.synthesizeTenantFiles(tenant('alice', 'owner-alice-0001'), fx.config);
  const objects = files.flatMap((f) =>
    parseAllDocuments(f.content).map((d) => d.toJS() as { kind?: string; metadata?: Record<string, unknown> }),
  );
  const deployment = objects.find((o) => o?.kind === 'Deployment');
  if (!deployment) throw new Error('the tenant chart synthesized no Deployment');
  return {
    ...deployment,
    metadata: {
      ...deployment.metadata,
      uid: '6f1c1f9e-5d1a-4d0e-9a55-0c3a8f1d2b11',
      resourceVersion: '48213',
      generation: 1,
      creationTimestamp: '2026-11-20T09:00:00Z',
    },
    status,
  };
}

/** The Application the tenants ApplicationSet makes for alice's folder, as the API server returns it after a sync. */
function servedApplication(fx: AdminFixture, status: Record<string, unknown>): Record<string, unknown> {
  const applicationSet = synthesizePlatformObjects(fx.config).find(
    (o) => o.kind === 'ApplicationSet' && (o.metadata as { name?: string }).name === 'openclaw-tenants',
  );
  if (!applicationSet) throw new Error('the platform chart synthesized no tenants ApplicationSet');
  const app = renderApplication(applicationSet as never, directoryParams('deploy/tenants/alice')) as { metadata: Record<string, unknown> };
  return {
    ...app,
    metadata: {
      ...app.metadata,
      namespace: 'argocd',
      uid: '0b7c6a5d-1111-4222-8333-444455556666',
      resourceVersion: '91234',
      generation: 3,
    },
    status,
  };
}

const SYNCED = {
  sync: { status: 'Synced', revision: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' },
  health: { status: 'Healthy' },
  operationState: {
    operation: { sync: { revision: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' } },
    phase: 'Succeeded',
    startedAt: '2026-11-20T09:00:00Z',
    finishedAt: '2026-11-20T09:00:05Z',
  },
};

const RUNNING = {
  observedGeneration: 1,
  replicas: 1,
  updatedReplicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
  conditions: [
    {
      type: 'Available',
      status: 'True',
      lastUpdateTime: '2026-11-20T09:01:00Z',
      lastTransitionTime: '2026-11-20T09:01:00Z',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    },
    {
      type: 'Progressing',
      status: 'True',
      lastUpdateTime: '2026-11-20T09:01:00Z',
      lastTransitionTime: '2026-11-20T09:00:00Z',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet has successfully progressed.',
    },
  ],
};

describe('show --kubeconfig: the gateway Deployment from the Kubernetes API, checked against its schema', () => {
  let fx: AdminFixture;
  let dir: string;
  let server: http.Server;
  let api: string;
  let answer: { status: number; body: unknown } = { status: 404, body: {} };
  /** What the API server answers for the Argo CD Application (the Deployment's is `answer`). */
  let applicationAnswer: { status: number; body: unknown } = { status: 404, body: {} };
  const requests: Array<{ path: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    fx = await startAdminFixture();
    await fx.seed([tenant('alice', 'owner-alice-0001')]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-admin-kube-'));
    server = http.createServer((req, res) => {
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer static-token' && req.headers.authorization !== 'Bearer exec-token') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 401 }));
        return;
      }
      const reply = (req.url ?? '').startsWith('/apis/argoproj.io/') ? applicationAnswer : answer;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    resetAwsMocks();
    secretsManager.on(DescribeSecretCommand).resolves({ Name: tenantNames('alice').secretId('gateway') });
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    requests.length = 0;
    applicationAnswer = { status: 404, body: { kind: 'Status', code: 404 } };
  });

  function kubeconfig(name: string, user: object, extra: object = {}): string {
    const file = path.join(dir, name);
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'ops',
        contexts: [{ name: 'ops', context: { cluster: 'c', user: 'u' } }],
        clusters: [{ name: 'c', cluster: { server: api } }],
        users: [{ name: 'u', user }],
        ...extra,
      }),
    );
    return file;
  }

  async function show(...args: string[]) {
    const io = captureIo();
    const code = await runLifecycleCommand('show', ['alice', ...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
      baseDir: process.cwd(),
      stdout: io.stdout,
      stderr: io.stderr,
      portsFor: async () => fx.ports,
    });
    return { code, out: io.out(), err: io.err() };
  }

  it('reads the running gateway and its Argo CD Application with a token from the kubeconfig', async () => {
    answer = { status: 200, body: await servedDeployment(fx, RUNNING) };
    applicationAnswer = { status: 200, body: servedApplication(fx, SYNCED) };
    const r = await show('--kubeconfig', kubeconfig('static.yaml', { token: 'static-token' }), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).workload).toEqual({
      deployment: 'present',
      desiredReplicas: 1,
      readyReplicas: 1,
      updatedReplicas: 1,
      conditions: ['Available=True', 'Progressing=True'],
      observed: true,
      image: expect.stringContaining(fx.config.image.tag),
      application: { state: 'present', sync: 'Synced', health: 'Healthy', revision: SYNCED.sync.revision, lastSync: 'Succeeded' },
    });
    expect(requests).toEqual([
      { path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/tenant-alice', authorization: 'Bearer static-token' },
      { path: '/apis/apps/v1/namespaces/openclaw-alice/deployments/openclaw-gateway', authorization: 'Bearer static-token' },
    ]);
    const text = await show('--kubeconfig', kubeconfig('static.yaml', { token: 'static-token' }));
    expect(text.out).toMatch(/argo cd: +Synced, Healthy at 3f1c2a9e8b7d, last sync Succeeded/);
  });

  it('says when Argo CD has no Application for the tenant, and refuses an Application that does not match its CRD schema', async () => {
    answer = { status: 200, body: await servedDeployment(fx, RUNNING) };
    expect((await show('--kubeconfig', kubeconfig('static.yaml', { token: 'static-token' }))).out).toMatch(
      /argo cd: +no Application tenant-alice in the cluster/,
    );
    applicationAnswer = { status: 200, body: servedApplication(fx, { ...SYNCED, health: { status: 7 } }) };
    const r = await show('--kubeconfig', kubeconfig('static.yaml', { token: 'static-token' }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Argo CD Application argocd\/tenant-alice does not match its schema .*\/status\/health\/status must be string/);
  });

  it("runs the kubeconfig's exec plugin for the token (as kubectl does for EKS)", async () => {
    answer = { status: 200, body: await servedDeployment(fx, RUNNING) };
    const plugin = {
      exec: {
        command: process.execPath,
        args: ['-e', 'process.stdout.write(JSON.stringify({ kind: "ExecCredential", status: { token: process.env.TOKEN_FOR_TEST } }))'],
        env: [{ name: 'TOKEN_FOR_TEST', value: 'exec-token' }],
      },
    };
    const r = await show('--kubeconfig', kubeconfig('exec.yaml', plugin));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/workload: +1\/1 ready, Available=True Progressing=True, /);
    expect(requests[0]?.authorization).toBe('Bearer exec-token');
  });

  it('a suspended tenant: 0 replicas wanted; an offboarded one: no Deployment', async () => {
    answer = {
      status: 200,
      body: {
        ...(await servedDeployment(fx, { observedGeneration: 2 })),
        spec: { ...((await servedDeployment(fx, {})).spec as object), replicas: 0 },
      },
    };
    expect((await show('--kubeconfig', kubeconfig('s.yaml', { token: 'static-token' }))).out).toMatch(
      /workload: +0\/0 ready, no conditions yet/,
    );
    answer = { status: 404, body: { kind: 'Status', code: 404 } };
    expect((await show('--kubeconfig', kubeconfig('s.yaml', { token: 'static-token' }))).out).toMatch(
      /workload: +no Deployment in the cluster/,
    );
  });

  it('fails if the response does not match the apps/v1 Deployment schema (never a misread answer)', async () => {
    answer = { status: 200, body: await servedDeployment(fx, { ...RUNNING, readyReplicas: 'one' }) };
    const r = await show('--kubeconfig', kubeconfig('static.yaml', { token: 'static-token' }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /Deployment openclaw-alice\/openclaw-gateway does not match its schema \(Kubernetes 1\.31\.0\): \/status\/readyReplicas must be integer/,
    );
  });

  it('fails if the API refuses the credential, naming it', async () => {
    const r = await show('--kubeconfig', kubeconfig('wrong.yaml', { token: 'wrong' }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/HTTP 401 \(the kubeconfig user is not allowed to read it\)/);
  });

  it.each([
    ['no current context', { 'current-context': 'elsewhere' }, /current-context "elsewhere" is not among its contexts/],
    ['a client certificate only', {}, /neither a token nor an exec plugin/],
  ])('a kubeconfig with %s is bad usage (exit 2), nothing is requested', async (_name, extra, message) => {
    const r = await show('--kubeconfig', kubeconfig('bad.yaml', { 'client-certificate-data': 'x' }, extra));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(requests).toEqual([]);
  });

  it('schemaVersionFor: the newest vendored version not newer than the cluster', () => {
    expect(schemaVersionFor('1.33', ['1.29.0', '1.31.0'])).toBe('1.31.0');
    expect(schemaVersionFor('1.30', ['1.29.0', '1.31.0'])).toBe('1.29.0');
    expect(schemaVersionFor('1.28', ['1.29.0', '1.31.0'])).toBe('1.29.0');
  });
});
