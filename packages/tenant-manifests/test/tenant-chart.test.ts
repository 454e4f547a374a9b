import { GATEWAY_PORT, IDENTITY_HEADER, KEDA_PAUSED_REPLICAS_ANNOTATION, tenantNames } from '@openclaw-tenancy/shared';
import { renderManifestYaml, synthesizeTenantFiles } from '../src';
import { OWNER, exampleConfig, find, objectsOf, tenant } from './fixtures';

describe('TenantChart', () => {
  it.each([
    ['standard', 'runc'],
    ['large', 'gvisor'],
  ] as const)('synthesizes the %s / %s tenant (snapshot)', (tier, runtime) => {
    // GIVEN a tenant of each tier and runtime tier WHEN synthesized THEN the YAML is stable
    expect(renderManifestYaml(objectsOf(tenant('alice', tier, runtime)))).toMatchSnapshot();
  });

  it('emits exactly the objects a tenant needs, in a stable order', () => {
    expect(objectsOf().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/openclaw-alice',
      'ResourceQuota/tenant-quota',
      'LimitRange/tenant-limits',
      'NetworkPolicy/default-deny-all',
      'NetworkPolicy/openclaw-gateway',
      'PersistentVolumeClaim/openclaw-state',
      'ServiceAccount/openclaw-gateway',
      'ConfigMap/openclaw-config',
      'Deployment/openclaw-gateway',
      'Service/openclaw-gateway',
      'PodDisruptionBudget/openclaw-gateway',
      'ScaledObject/openclaw-gateway',
      'HTTPRoute/openclaw-gateway',
      'SecurityPolicy/openclaw-edge-auth',
    ]);
  });

  it('puts every namespaced object in the tenant namespace and never stamps one on the Namespace', () => {
    const objects = objectsOf();
    expect(find(objects, 'Namespace').metadata.namespace).toBeUndefined();
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('openclaw-alice');
  });

  it('sizes the standard tier for one gateway and its OpenClaw footprint', () => {
    const objects = objectsOf();
    expect(find(objects, 'ResourceQuota').spec.hard).toMatchObject({
      'limits.cpu': '4',
      'limits.memory': '8Gi',
      pods: 10,
      'services.loadbalancers': 0,
    });
    const container = find(objects, 'Deployment').spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '1280Mi' }, limits: { cpu: '2', memory: '2Gi' } });
  });

  it('schedules the gvisor runtime tier on tainted gVisor nodes', () => {
    const spec = find(objectsOf(tenant('alice', 'standard', 'gvisor')), 'Deployment').spec.template.spec;
    expect(spec.runtimeClassName).toBe('gvisor');
    expect(spec.tolerations).toEqual([{ key: 'openclaw.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }]);
    const runc = find(objectsOf(), 'Deployment').spec.template.spec;
    expect(runc.runtimeClassName).toBeUndefined();
    expect(runc.tolerations).toBeUndefined();
  });

  it('probes health at the root path, not under the base path where the SPA answers 200', () => {
    const c = find(objectsOf(), 'Deployment').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.startupProbe.httpGet.path).toBe('/healthz');
  });

  it('mounts the config read-only and keeps state on the PVC', () => {
    const spec = find(objectsOf(), 'Deployment').spec.template.spec;
    const mounts = spec.containers[0].volumeMounts;
    expect(mounts).toContainEqual({ name: 'config', mountPath: '/etc/openclaw', readOnly: true });
    expect(mounts).toContainEqual({ name: 'state', mountPath: '/home/node/.openclaw' });
    expect(spec.volumes).toContainEqual({ name: 'state', persistentVolumeClaim: { claimName: 'openclaw-state' } });
  });

  it('scales a suspended tenant to zero but keeps its objects and data', () => {
    const suspended = { ...tenant(), status: 'suspended' as const, suspendedAt: '2026-11-26T00:00:00Z' };
    const objects = objectsOf(suspended);
    expect(find(objects, 'Deployment').spec.replicas).toBe(0);
    // Argo CD leaves an existing Deployment's replicas to the scaler: KEDA holds a suspended one at zero, whatever its traffic.
    expect(find(objects, 'ScaledObject').metadata.annotations).toEqual({ [KEDA_PAUSED_REPLICAS_ANNOTATION]: '0' });
    expect(find(objects, 'PersistentVolumeClaim')).toBeDefined();
  });

  it('keeps only what holds the data of an offboarded tenant: no workload, identity, route or edge policy', () => {
    const tombstone = { ...tenant(), status: 'deleted' as const, deletedAt: '2026-11-26T00:00:00Z' };
    const retained = objectsOf(tombstone);
    expect(retained.map((o) => o.kind)).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'NetworkPolicy',
      'PersistentVolumeClaim',
    ]);
    // The same objects as the active tenant's, unchanged: the namespace keeps its Pod Security labels and the claim its
    // storage class, size and never-prune options, so Argo CD only prunes.
    const active = objectsOf();
    for (const o of retained) expect(active).toContainEqual(o);
    expect(synthesizeTenantFiles(tombstone, exampleConfig).map((f) => f.path)).toEqual(['deploy/tenants/alice/manifests.yaml']);
  });

  it('routes /t/<id> and the readiness path of this tenant only, dropping the token and capping scopes', () => {
    const route = find(objectsOf(), 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'openclaw-edge', namespace: 'openclaw-edge', sectionName: 'http' },
    ]);
    expect(route.spec.hostnames).toEqual(['ai.example.com']);
    const [ready, icon, main] = route.spec.rules;
    expect(ready.matches).toEqual([{ path: { type: 'Exact', value: '/t/alice/_platform/ready' } }]);
    expect(ready.filters).toContainEqual({
      type: 'URLRewrite',
      urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/readyz' } },
    });
    expect(icon.matches).toEqual([{ path: { type: 'PathPrefix', value: '/t/alice/__openclaw__/workspace-icon' } }]);
    expect(icon.filters).toContainEqual({
      type: 'URLRewrite',
      urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/t/alice/favicon.svg' } },
    });
    expect(main.matches).toEqual([{ path: { type: 'PathPrefix', value: '/t/alice' } }]);
    for (const rule of route.spec.rules) {
      expect(rule.filters).toContainEqual({
        type: 'RequestHeaderModifier',
        requestHeaderModifier: {
          set: [{ name: 'x-openclaw-scopes', value: 'operator.read,operator.write,operator.approvals,operator.questions' }],
          remove: ['cookie', 'authorization'],
        },
      });
      expect(rule.backendRefs).toEqual([{ name: 'openclaw-gateway', port: GATEWAY_PORT }]);
    }
  });

  it('authenticates the route with the Cognito ID token, the tenant claim and the registry owner', () => {
    const policy = find(objectsOf(), 'SecurityPolicy');
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openclaw-gateway' }]);
    const [provider] = policy.spec.jwt.providers;
    expect(provider).toEqual({
      name: 'cognito',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ex4mpleP0',
      audiences: ['4example1client2id3abcdefgh'],
      remoteJWKS: { uri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ex4mpleP0/.well-known/jwks.json' },
      extractFrom: { cookies: ['openclaw_session'] },
      claimToHeaders: [{ claim: 'sub', header: IDENTITY_HEADER }],
    });
    expect(policy.spec.authorization.defaultAction).toBe('Deny');
    expect(policy.spec.authorization.rules).toEqual([
      {
        name: 'tenant-owner-id-token',
        action: 'Allow',
        principal: {
          jwt: {
            provider: 'cognito',
            claims: [
              { name: 'custom:tenant_id', values: ['alice'] },
              { name: 'token_use', values: ['id'] },
              { name: 'sub', values: [OWNER] },
            ],
          },
        },
      },
    ]);
  });

  it('fails if the identity pool is not configured yet', () => {
    const { identity: _identity, ...withoutIdentity } = exampleConfig;
    expect(() => objectsOf(tenant(), withoutIdentity)).toThrow(/identity: is required to authenticate tenant routes/);
  });

  it('names everything through packages/shared', () => {
    const names = tenantNames('alice');
    const objects = objectsOf();
    expect(find(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe(names.serviceAccount);
    for (const o of objects) expect((o.metadata.labels as Record<string, string>)['openclaw.io/tenant']).toBe('alice');
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].env).toContainEqual({
      name: 'OPENCLAW_TENANT_SECRET_PREFIX',
      value: names.secretIdPrefix,
    });
    expect(OWNER).toMatch(/^[0-9a-f-]+$/);
  });
});
