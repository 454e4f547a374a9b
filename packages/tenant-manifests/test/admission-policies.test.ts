import { parsePlatformConfig, tenantNames } from '@openclaw-tenancy/shared';
import {
  AdmissionDenial,
  AdmissionEvaluator,
  KubeObject,
  argoApplyRequests,
  synthesizeTenantObjects,
  tenantAdmissionPolicies,
  tenantAdmissionSettings,
} from '../src';
import { HOSTILE_TENANT_FOLDERS } from '../src/testing';
import { clone, exampleConfig, objectsOf, tenant } from './fixtures';

const set = tenantAdmissionPolicies(tenantAdmissionSettings(exampleConfig));
const admission = new AdmissionEvaluator(set);
type Json = Record<string, unknown>;

/** Namespaces already in the cluster: a platform one and another tenant's. */
const live = new Map<string, Json>([
  [
    'kube-system',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
  ],
  ...(objectsOf(tenant('bob')).filter((o) => o.kind === 'Namespace') as unknown as Json[]).map(
    (n) => [String((n.metadata as Json).name), n] as [string, Json],
  ),
]);

function denialsFor(objects: readonly KubeObject[], id = 'alice'): AdmissionDenial[] {
  const requests = argoApplyRequests(objects as unknown as Json[], {
    application: tenantNames(id).argoApplication,
    destinationNamespace: tenantNames(id).namespace,
    liveNamespaces: live,
  });
  return requests.flatMap((r) => admission.admit(r));
}

const ruleOf = (d: AdmissionDenial): string => /^\[([A-Z-]+)\]/.exec(d.message)?.[1] ?? `unnamed: ${d.message}`;

describe('tenant admission policies, evaluated with a CEL engine', () => {
  it('admit every object the tenant chart synthesizes, for each runtime tier and tier', () => {
    for (const record of [tenant('alice'), tenant('alice', 'standard', 'gvisor'), tenant('alice', 'large', 'runc')]) {
      expect(denialsFor(objectsOf(record))).toEqual([]);
    }
  });

  describe.each(HOSTILE_TENANT_FOLDERS.map((c) => [c.rule, c.description, c] as const))('%s: %s', (rule, _description, c) => {
    it('refuses the hostile folder with a message naming the rule', () => {
      const denials = denialsFor(c.hostile(objectsOf(tenant('alice')), 'alice', 'bob'), 'alice');
      expect(denials.map(ruleOf)).toContain(rule);
    });
    it('admits its compliant twin', () => {
      const record = rule === 'TENANT-RUNTIME-TIER' ? tenant('alice', 'standard', 'gvisor') : tenant('alice');
      expect(denialsFor(c.twin(objectsOf(record), 'alice', 'bob'), 'alice')).toEqual([]);
    });
  });

  it('with image.digest pinned, admits digest-pinned builds of the platform repository only: not a bare tag, not another repository', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinnedConfig = parsePlatformConfig({ ...exampleConfig, image: { ...exampleConfig.image, digest } });
    const pinned = new AdmissionEvaluator(tenantAdmissionPolicies(tenantAdmissionSettings(pinnedConfig)));
    const denials = (objects: readonly KubeObject[]) =>
      argoApplyRequests(objects as unknown as Json[], {
        application: tenantNames('alice').argoApplication,
        destinationNamespace: tenantNames('alice').namespace,
        liveNamespaces: live,
      }).flatMap((r) => pinned.admit(r));
    const objects = synthesizeTenantObjects(tenant('alice'), pinnedConfig);
    const gateway = (o: readonly KubeObject[]) =>
      (o.find((x) => x.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: Json[] } } } }).spec.template.spec
        .containers[0] as Json;
    const repository = exampleConfig.image.repository;
    expect(gateway(objects).image).toBe(`${repository}:${exampleConfig.image.tag}@${digest}`);
    expect(denials(objects)).toEqual([]);
    const withImage = (image: string) => {
      const moved = clone(objects);
      gateway(moved).image = image;
      return denials(moved).map(ruleOf);
    };
    // Another build of the platform repository, pinned: what a rollout wave or a held-back tenant runs.
    for (const image of [`${repository}:2026.10.1@sha256:${'b'.repeat(64)}`, `${repository}@sha256:${'c'.repeat(64)}`])
      expect(withImage(image)).toEqual([]);
    for (const image of [
      `${repository}:${exampleConfig.image.tag}`,
      `${repository}-evil:${exampleConfig.image.tag}@${digest}`,
      `${repository.replace(/\./g, 'x')}:${exampleConfig.image.tag}@${digest}`,
      `evil.example/${repository}:${exampleConfig.image.tag}@${digest}`,
      `${repository}:${exampleConfig.image.tag}@sha256:${'a'.repeat(63)}`,
      `${repository}:${exampleConfig.image.tag}@${digest}\n`,
    ])
      expect(withImage(image)).toContain('TENANT-IMAGE');
  });

  it("runs a tenant record's image build, of the platform repository only", () => {
    const record = { ...tenant('alice'), image: { tag: '2026.10.1' } };
    const objects = synthesizeTenantObjects(record, exampleConfig);
    const deployment = objects.find((x) => x.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Array<{ image: string }> } } };
    };
    expect(deployment.spec.template.spec.containers[0]?.image).toBe(`${exampleConfig.image.repository}:2026.10.1`);
    expect(denialsFor(objects, 'alice')).toEqual([]);
  });

  it('refuses a folder named after a reserved id even if it shapes its namespace to match (deploy/tenants/edge)', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'openclaw-edge', labels: { 'openclaw.io/tenant': 'edge' } },
    } as unknown as KubeObject;
    const requests = argoApplyRequests([ns] as unknown as Json[], { application: 'tenant-edge', destinationNamespace: 'openclaw-edge' });
    expect(requests.flatMap((r) => admission.admit(r)).map(ruleOf)).toContain('TENANT-ID');
  });

  it('refuses RBAC objects in a tenant namespace from anyone, not only from Argo CD', () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'x', namespace: 'openclaw-bob' },
      roleRef: {},
      subjects: [],
    };
    const denials = admission.admit({
      operation: 'CREATE',
      object: binding,
      namespaceObject: live.get('openclaw-bob'),
      username: 'kubernetes-admin',
    });
    expect(denials.map(ruleOf)).toEqual(['TENANT-NO-RBAC']);
  });

  it('leaves platform namespaces and platform applications alone', () => {
    const deployment = clone(objectsOf(tenant('alice')).find((o) => o.kind === 'Deployment')) as unknown as Json;
    (deployment.metadata as Json).namespace = 'kube-system';
    (deployment.metadata as Json).annotations = { 'argocd.argoproj.io/tracking-id': 'platform:apps/Deployment:kube-system/x' };
    expect(
      admission.admit({
        operation: 'CREATE',
        object: deployment,
        namespaceObject: live.get('kube-system'),
        username: 'system:serviceaccount:argocd:argocd-application-controller',
      }),
    ).toEqual([]);
  });

  it('denies when an expression cannot be evaluated (failurePolicy Fail), as the API server does', () => {
    const objects = clone(objectsOf(tenant('alice')));
    delete (objects.find((o) => o.kind === 'HTTPRoute') as unknown as { spec: Json }).spec.rules;
    expect(denialsFor(objects).map(ruleOf)).toContain('TENANT-ROUTE-PATH');
  });

  it('every policy has a binding, and every binding of a namespaced rule selects tenant namespaces only', () => {
    expect(set.bindings.map((b) => b.spec.policyName).sort()).toEqual(set.policies.map((p) => p.metadata.name).sort());
    for (const b of set.bindings) expect(b.spec.validationActions).toEqual(['Deny']);
    const every = set.policies.flatMap((p) => p.spec.validations.map((v) => v.message ?? v.messageExpression ?? ''));
    for (const m of every) expect(m).toMatch(/\[TENANT-[A-Z-]+\]/);
  });
});
