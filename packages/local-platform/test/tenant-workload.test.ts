import { newTenantRecord } from '@openclaw-tenancy/shared';
import { synthesizeTenantFiles } from '@openclaw-tenancy/tenant-manifests';
import { parseTenantWorkload, WorkloadSpecError } from '../src/reconciler/tenant-workload';
import { TEST_LOCAL_CONFIG } from './support/local-config';

const config = TEST_LOCAL_CONFIG;

function manifests(id: string, status: 'active' | 'suspended' = 'active'): string {
  const record = newTenantRecord({
    id,
    owner: `${id}-owner-0001`,
    tier: 'standard',
    runtime: 'runc',
    createdAt: new Date('2026-11-25T10:00:00Z'),
  });
  const withStatus = status === 'active' ? record : { ...record, status, suspendedAt: '2026-11-25T11:00:00Z', statusReason: 'budget' };
  return (synthesizeTenantFiles(withStatus, config)[0] as { content: string }).content;
}

describe('tenant workload from the synthesized manifests', () => {
  it('takes the ConfigMap data byte for byte and the Deployment as the kubelet reads it', () => {
    const workload = parseTenantWorkload('alice', manifests('alice'));
    const openclaw = JSON.parse(workload.configMaps['openclaw-config']?.['openclaw.json'] ?? '{}');
    expect(openclaw.gateway).toMatchObject({
      port: 18789,
      bind: 'lan',
      trustedProxies: ['10.203.0.2/32'],
      controlUi: { basePath: '/t/alice', allowedOrigins: ['http://10.203.0.2:8080'] },
    });
    expect(openclaw.gateway.auth.trustedProxy).toMatchObject({ allowUsers: ['alice-owner-0001'], allowLoopback: false });
    expect(workload.configMaps['openclaw-config']?.['secret-provider.mjs']).toContain('secretsmanager.GetSecretValue');
    expect(workload.replicas).toBe(1);
    expect(workload.owner).toBe('alice-owner-0001');
    expect(workload.pod).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, terminationGracePeriodSeconds: 30 });
    const [gateway] = workload.pod.containers;
    expect(gateway?.env).toMatchObject({
      OPENCLAW_CONFIG_PATH: '/etc/openclaw/openclaw.json',
      OPENCLAW_STATE_DIR: '/home/node/.openclaw',
      HOME: '/home/node',
      TMPDIR: '/tmp',
      OPENCLAW_TENANT_SECRET_PREFIX: 'openclaw/tenants/alice/',
    });
    expect(gateway?.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'config', mountPath: '/etc/openclaw', readOnly: true },
        { name: 'state', mountPath: '/home/node/.openclaw', readOnly: false },
      ]),
    );
    expect(gateway?.readinessProbe).toMatchObject({ path: '/readyz', port: 18789 });
    expect(gateway?.livenessProbe).toMatchObject({ path: '/healthz', port: 18789 });
    expect(workload.pod.initContainers.map((c) => c.name)).toEqual(['secret-provider-runtime']);
    expect(workload.pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'state', kind: 'persistentVolumeClaim', claimName: 'openclaw-state' },
        { name: 'config', kind: 'configMap', configMap: 'openclaw-config', defaultMode: 0o444 },
      ]),
    );
  });

  it('gives a suspended tenant zero replicas', () => {
    expect(parseTenantWorkload('bob', manifests('bob', 'suspended')).replicas).toBe(0);
  });

  it('changes the revision when the config changes, and only then', () => {
    const a = parseTenantWorkload('alice', manifests('alice'));
    expect(parseTenantWorkload('alice', manifests('alice')).revision).toBe(a.revision);
    const edited = manifests('alice').replace('"allowLoopback": false', '"allowLoopback": true');
    expect(parseTenantWorkload('alice', edited).revision).not.toBe(a.revision);
  });

  it('refuses names and paths the API server would refuse, which the local runtime would turn into host paths', () => {
    const text = manifests('alice');
    expect(() => parseTenantWorkload('alice', text.replace('openclaw.json:', '../../etc/cron.d/x:'))).toThrow(
      /data key "\.\.\/\.\.\/etc\/cron\.d\/x" is not a valid ConfigMap key/,
    );
    expect(() => parseTenantWorkload('alice', text.replace('claimName: openclaw-state', 'claimName: ../../../..'))).toThrow(
      /claimName "\.\.\/\.\.\/\.\.\/\.\." is not a DNS-1123 subdomain/,
    );
    expect(() => parseTenantWorkload('alice', text.replace('mountPath: /etc/openclaw', 'mountPath: /etc/../../x'))).toThrow(
      /mountPath "\/etc\/\.\.\/\.\.\/x" must be an absolute path without "\.\."/,
    );
    expect(() => parseTenantWorkload('alice', text.replace('- name: state\n', '- name: ../state\n'))).toThrow(
      /volumes\[0\]\.name "\.\.\/state" is not a DNS-1123 label/,
    );
  });

  it('fails if the Deployment is missing, runs as root, or uses what the local runtime cannot provide', () => {
    const text = manifests('alice');
    expect(() => parseTenantWorkload('alice', text.replace('kind: Deployment', 'kind: StatefulSet'))).toThrow(
      /Deployment openclaw-alice\/openclaw-gateway is missing/,
    );
    expect(() => parseTenantWorkload('alice', text.replace(/runAsUser: 1000/g, 'runAsUser: 0'))).toThrow(WorkloadSpecError);
    expect(() => parseTenantWorkload('alice', text.replace('kind: SecurityPolicy', 'kind: BackendTrafficPolicy'))).toThrow(
      /SecurityPolicy openclaw-edge-auth is missing/,
    );
    expect(() =>
      parseTenantWorkload('alice', text.replace(/- name: sub\n(\s+)values:\n\s+- alice-owner-0001/, '- name: sub\n$1values: []')),
    ).toThrow(/must admit exactly one owner through a "sub" claim, found 0/);
    expect(() =>
      parseTenantWorkload('alice', text.replace('emptyDir:\n            sizeLimit: 1Gi', 'hostPath:\n            path: /')),
    ).toThrow(/volume type the local runtime does not provide \(hostPath\)/);
  });
});
