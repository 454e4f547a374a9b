import { MAX_TENANT_ID_LENGTH, TENANT_LABEL, tenantIdFromNamespace, tenantIdFromRoutePath, tenantNames } from '../src';

describe('tenantNames', () => {
  it('derives every name from the id', () => {
    const n = tenantNames('alice');
    expect(n.namespace).toBe('openclaw-alice');
    expect(n.routePath).toBe('/t/alice');
    expect(n.registryFile).toBe('tenants/alice.yaml');
    expect(n.deployDir).toBe('deploy/tenants/alice');
    expect(n.secretId('gateway')).toBe('openclaw/tenants/alice/gateway');
    expect(n.labels[TENANT_LABEL]).toBe('alice');
    expect(n.efsRootDirectory).toBe('/tenants/openclaw-alice');
  });

  it('keeps every derived Kubernetes name and label value within 63 characters for the longest id', () => {
    const n = tenantNames(`a${'b'.repeat(MAX_TENANT_ID_LENGTH - 1)}`);
    const k8sNames = [
      n.namespace,
      n.serviceAccount,
      n.configMap,
      n.persistentVolumeClaim,
      n.deployment,
      n.service,
      n.resourceQuota,
      n.limitRange,
      n.defaultDenyPolicy,
      n.gatewayNetworkPolicy,
      n.podDisruptionBudget,
      n.httpRoute,
      n.securityPolicy,
      n.argoApplication,
      ...Object.values(n.labels),
      n.inferenceProfileName('deepseek-r1x'),
    ];
    for (const name of k8sNames) expect(name.length).toBeLessThanOrEqual(63);
  });

  it('refuses an invalid id', () => {
    expect(() => tenantNames('../etc')).toThrow(/invalid tenant id/);
  });
});

describe('parsing names back', () => {
  it('reads the tenant of a namespace', () => {
    expect(tenantIdFromNamespace('openclaw-alice')).toBe('alice');
    expect(tenantIdFromNamespace('kube-system')).toBeUndefined();
  });

  it.each([
    ['/t/alice', 'alice'],
    ['/t/alice/', 'alice'],
    ['/t/alice/chat/main?x=1', 'alice'],
    ['/t/alice?x', 'alice'],
    ['/t/Alice/', undefined],
    ['/t/../alice/', undefined],
    ['/t/', undefined],
    ['/x/alice/', undefined],
    ['/t/alice-2x', 'alice-2x'],
  ])('route %s → %s', (path, id) => {
    expect(tenantIdFromRoutePath(path)).toBe(id);
  });
});
