import { PLATFORM_NAMES, TIER_RESOURCES, tenantImageReference } from '@openclaw-tenancy/shared';
import { synthesizePlatformObjects } from '../src';
import { PAUSE_IMAGE } from '../src/constructs/wake-capacity';
import { exampleConfig } from './fixtures';

type Json = Record<string, any>;
const objectsFor = (config = exampleConfig) => synthesizePlatformObjects(config) as unknown as Json[];
const named = (objects: Json[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('room for waking gateways (platform chart)', () => {
  it("holds idle.headroomGateways gateways' requests with evictable placeholders on the default runtime tier's nodes", () => {
    const objects = objectsFor();
    const headroom = named(objects, 'Deployment', 'wake-headroom') as Json;
    expect(headroom.metadata.namespace).toBe(PLATFORM_NAMES.capacityNamespace);
    expect(headroom.spec.replicas).toBe(exampleConfig.idle.headroomGateways);
    const pod = headroom.spec.template.spec;
    expect(pod.priorityClassName).toBe(PLATFORM_NAMES.placeholderPriorityClass);
    const gateway = TIER_RESOURCES[exampleConfig.tenantDefaults.tier].gateway;
    expect(pod.containers[0].resources.requests).toEqual({ cpu: gateway.requestsCpu, memory: gateway.requestsMemory });
    expect(pod.containers[0].image).toBe(PAUSE_IMAGE);
    expect(pod.runtimeClassName).toBe(exampleConfig.tenantDefaults.runtime === 'gvisor' ? 'gvisor' : undefined);
    // Below every tenant gateway (priority 0), and a placeholder never preempts anything itself.
    expect(named(objects, 'PriorityClass', PLATFORM_NAMES.placeholderPriorityClass)).toMatchObject({
      value: -10,
      preemptionPolicy: 'Never',
      globalDefault: false,
    });
    expect(named(objects, 'Namespace', PLATFORM_NAMES.capacityNamespace)?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
  });

  it('keeps no placeholders when the config asks for none, and still pre-pulls', () => {
    const objects = objectsFor({ ...exampleConfig, idle: { ...exampleConfig.idle, headroomGateways: 0 } });
    expect(named(objects, 'Deployment', 'wake-headroom')).toBeUndefined();
    expect(named(objects, 'PriorityClass', PLATFORM_NAMES.placeholderPriorityClass)).toBeUndefined();
    expect(named(objects, 'DaemonSet', 'tenant-image-prepull')).toBeDefined();
  });

  it('pulls the platform tenant image onto every tenant node, gVisor ones included, and runs nothing of it', () => {
    const daemonSet = named(objectsFor(), 'DaemonSet', 'tenant-image-prepull') as Json;
    const pod = daemonSet.spec.template.spec;
    expect(pod.initContainers[0]).toMatchObject({ image: tenantImageReference(exampleConfig.image), command: ['node', '--version'] });
    expect(pod.tolerations).toEqual([{ key: 'openclaw.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }]);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    expect(pod.automountServiceAccountToken).toBe(false);
  });
});
