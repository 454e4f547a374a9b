import { IDLE_TIMEOUT_ANNOTATION, TenantRecord, newTenantRecord } from '@openclaw-tenancy/shared';
import { synthesizeTenantFiles } from '@openclaw-tenancy/tenant-manifests';
import { localPlatformConfig } from '../src/config/local-platform-config';
import { parseTenantWorkload } from '../src/reconciler/tenant-workload';

const inputs = {
  userPoolId: 'us-east-1_LocalPool1',
  appClientId: 'localclient0000000000000001',
  issuerUrl: 'http://10.203.0.1:9229/us-east-1_LocalPool1',
  publicOrigin: 'http://127.0.0.1:8080',
  edgeAddress: '10.203.0.2',
  allowedEmailDomains: ['example.com'],
  gitRepoUrl: 'http://127.0.0.1:9418/gitops.git',
};

const record = (extra: Partial<TenantRecord> = {}): TenantRecord => ({
  ...newTenantRecord({
    id: 'alice',
    owner: 'alice-owner-0001',
    tier: 'standard',
    runtime: 'runc',
    createdAt: new Date('2026-11-25T10:00:00Z'),
  }),
  ...extra,
});

function manifests(r: TenantRecord, idleTimeoutSeconds?: number): string {
  const { config } = localPlatformConfig({ ...inputs, ...(idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds }) });
  return (synthesizeTenantFiles(r, config)[0] as { content: string }).content;
}

describe('the idle timeout of a tenant workload', () => {
  it('is the tier default of the example config without --idle-timeout', () => {
    const { config } = localPlatformConfig(inputs);
    expect(parseTenantWorkload('alice', manifests(record())).idleTimeoutSeconds).toBe(config.idle.timeoutSeconds.standard);
  });

  it('follows --idle-timeout through the synthesized manifests', () => {
    expect(parseTenantWorkload('alice', manifests(record(), 20)).idleTimeoutSeconds).toBe(20);
  });

  it('is absent for an always-on tenant and for --idle-timeout 0', () => {
    expect(parseTenantWorkload('alice', manifests(record({ alwaysOn: true }), 20)).idleTimeoutSeconds).toBeUndefined();
    expect(parseTenantWorkload('alice', manifests(record(), 0)).idleTimeoutSeconds).toBeUndefined();
  });

  it('does not change the revision, so a new timeout never restarts a gateway', () => {
    expect(parseTenantWorkload('alice', manifests(record(), 20)).revision).toBe(
      parseTenantWorkload('alice', manifests(record(), 30)).revision,
    );
  });

  it('fails if the annotation is malformed', () => {
    const bad = manifests(record(), 20).replace(`${IDLE_TIMEOUT_ANNOTATION}: "20"`, `${IDLE_TIMEOUT_ANNOTATION}: 20m`);
    expect(bad).toContain('20m');
    expect(() => parseTenantWorkload('alice', bad)).toThrow(
      /annotation openclaw.io\/idle-timeout-seconds must be a positive whole number of seconds, got "20m"/,
    );
  });

  it('fails if --idle-timeout is out of range', () => {
    expect(() => localPlatformConfig({ ...inputs, idleTimeoutSeconds: 3 })).toThrow(/idle\.timeoutSeconds\.standard/);
  });
});
