import { App, Chart } from 'cdk8s';
import {
  IDLE_METRICS_SERVER_URL,
  IDLE_TIMEOUT_ANNOTATION,
  RUNTIME_TIER_SPECS,
  SCALER_POLLING_SECONDS,
  TIER_RESOURCES,
  tenantActivityQuery,
  tenantNames,
} from '@openclaw-tenancy/shared';
import { GATEWAY_COMPILE_CACHE_DIR, OpenClawWorkload } from '../src/constructs/openclaw-workload';
import { exampleConfig, find, objectsOf, tenant } from './fixtures';

const deploymentOf = (record = tenant(), config = exampleConfig) => find(objectsOf(record, config), 'Deployment');

describe('OpenClawWorkload idle policy', () => {
  it('annotates the Deployment with its tier idle timeout from the platform config', () => {
    // GIVEN the example config (standard tier idles after its configured timeout) WHEN synthesized THEN the annotation carries it
    expect(deploymentOf().metadata.annotations).toEqual({ [IDLE_TIMEOUT_ANNOTATION]: String(exampleConfig.idle.timeoutSeconds.standard) });
    expect(deploymentOf(tenant('alice', 'large')).metadata.annotations).toEqual({
      [IDLE_TIMEOUT_ANNOTATION]: String(exampleConfig.idle.timeoutSeconds.large),
    });
  });

  it('follows a changed per-tier timeout', () => {
    const config = { ...exampleConfig, idle: { ...exampleConfig.idle, timeoutSeconds: { standard: 20, large: 0 } } };
    expect(deploymentOf(tenant(), config).metadata.annotations[IDLE_TIMEOUT_ANNOTATION]).toBe('20');
    // a tier with 0 never idles: no annotation
    expect(deploymentOf(tenant('alice', 'large'), config).metadata.annotations).toBeUndefined();
  });

  it('never idles an always-on tenant', () => {
    expect(deploymentOf({ ...tenant(), alwaysOn: true }).metadata.annotations).toBeUndefined();
  });

  it('scales an idle-able gateway between 0 and 1 on its own route traffic, after the same timeout; an always-on one stays at 1', () => {
    const scaler = find(objectsOf(tenant()), 'ScaledObject');
    expect(scaler.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: tenantNames('alice').deployment },
      minReplicaCount: 0,
      maxReplicaCount: 1,
      pollingInterval: SCALER_POLLING_SECONDS,
      cooldownPeriod: exampleConfig.idle.timeoutSeconds.standard,
      triggers: [
        {
          type: 'prometheus',
          metadata: {
            serverAddress: IDLE_METRICS_SERVER_URL,
            query: tenantActivityQuery(tenantNames('alice')),
            threshold: '1',
            activationThreshold: '0',
          },
        },
      ],
    });
    expect(scaler.spec.triggers[0].metadata.query).toContain('envoy_cluster_name="httproute/openclaw-alice/openclaw-gateway/rule/0"');
    expect(scaler.metadata.annotations).toBeUndefined();
    const alwaysOn = find(objectsOf({ ...tenant(), alwaysOn: true }), 'ScaledObject');
    expect(alwaysOn.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 1 });
    expect(alwaysOn.spec.cooldownPeriod).toBeUndefined();
  });

  it('keeps the idle policy out of the pod template, so changing it never restarts the gateway', () => {
    const template = deploymentOf().spec.template;
    expect(JSON.stringify(template)).not.toContain(IDLE_TIMEOUT_ANNOTATION);
  });

  it('points Node at the image compile cache, outside the tenant volume', () => {
    const container = deploymentOf().spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'NODE_COMPILE_CACHE', value: GATEWAY_COMPILE_CACHE_DIR });
    for (const mount of container.volumeMounts) expect(GATEWAY_COMPILE_CACHE_DIR.startsWith(mount.mountPath)).toBe(false);
  });

  it('has every start log its own breakdown', () => {
    expect(deploymentOf().spec.template.spec.containers[0].env).toContainEqual({ name: 'OPENCLAW_GATEWAY_STARTUP_TRACE', value: '1' });
  });

  it.each([5, 0, 1.5, 100000])('fails if idleTimeoutSeconds is %p', (seconds) => {
    const chart = new Chart(new App(), 'c');
    const names = tenantNames('alice');
    expect(
      () =>
        new OpenClawWorkload(chart, 'W', {
          names,
          image: 'ghcr.io/openclaw/openclaw:2026.9.6',
          openClawConfig: '{}',
          secretProviderScript: '',
          resources: TIER_RESOURCES.standard,
          runtime: 'runc',
          runtimeSpec: RUNTIME_TIER_SPECS.runc,
          awsRegion: 'us-east-1',
          idleTimeoutSeconds: seconds,
        }),
    ).toThrow(/^tenant alice: idleTimeoutSeconds /);
  });
});
