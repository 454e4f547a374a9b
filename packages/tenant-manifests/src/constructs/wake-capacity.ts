import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  IntOrString,
  KubeDaemonSet,
  KubeDeployment,
  KubeNamespace,
  KubePriorityClass,
  Quantity,
  Toleration,
} from 'cdk8s-plus-29/lib/imports/k8s';
import { PLATFORM_NAMES, RUNTIME_TIER_SPECS, RuntimeTier, TIER_RESOURCES, TenantTier } from '@openclaw-tenancy/shared';

/**
 * The placeholder container: the Kubernetes pause image (the release Kubernetes 1.31 and later use), doing
 * nothing while it holds room. Pinned by tag: its digest cannot be read offline (packages/aws-infra README,
 * known gaps).
 */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
/** The unprivileged uid of the capacity pods (the pause image's `nobody`). */
const CAPACITY_UID = 65535;

export interface WakeCapacityProps {
  /** Gateways' worth of room kept free (`idle.headroomGateways`); 0 keeps none. */
  readonly headroomGateways: number;
  /** The tier whose gateway requests one placeholder holds (`tenantDefaults.tier`). */
  readonly tier: TenantTier;
  /** The runtime tier whose nodes the placeholders sit on (`tenantDefaults.runtime`). */
  readonly runtime: RuntimeTier;
  /** The tenant image every tenant node pulls ahead of a wake. */
  readonly tenantImage: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly podSecurityVersion: string;
}

/**
 * What makes a wake fast on EKS (ADR 0700): placeholder pods that hold
 * `headroomGateways` gateways' requests on the tenant nodes at a priority
 * below every tenant, so a waking gateway preempts one instead of waiting for
 * a new node (the Cluster Autoscaler then adds a node for the evicted
 * placeholder), and a DaemonSet that pulls the tenant image onto every tenant
 * node, so no wake waits for a pull.
 */
export class WakeCapacity extends Construct {
  constructor(scope: Construct, id: string, props: WakeCapacityProps) {
    super(scope, id);
    const namespace = PLATFORM_NAMES.capacityNamespace;
    const pss: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      pss[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      pss[`pod-security.kubernetes.io/${mode}-version`] = props.podSecurityVersion;
    }
    const ns = new KubeNamespace(this, 'Namespace', { metadata: { name: namespace, labels: { ...props.labels, ...pss } } });
    ns.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    const security = {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: CAPACITY_UID,
      runAsGroup: CAPACITY_UID,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const podBase = {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    };

    if (props.headroomGateways > 0) {
      const priority = new KubePriorityClass(this, 'PlaceholderPriority', {
        metadata: { name: PLATFORM_NAMES.placeholderPriorityClass, labels: { ...props.labels } },
        value: -10,
        preemptionPolicy: 'Never',
        globalDefault: false,
        description: 'Placeholder pods holding room for waking tenant gateways; every gateway preempts them.',
      });
      priority.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      const spec = RUNTIME_TIER_SPECS[props.runtime];
      const taint = spec.nodeTaint;
      const gateway = TIER_RESOURCES[props.tier].gateway;
      const selector = { 'app.kubernetes.io/name': 'wake-headroom' };
      new KubeDeployment(this, 'Headroom', {
        metadata: { name: 'wake-headroom', namespace, labels: { ...props.labels, ...selector } },
        spec: {
          replicas: props.headroomGateways,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: { ...props.labels, ...selector } },
            spec: {
              ...podBase,
              priorityClassName: PLATFORM_NAMES.placeholderPriorityClass,
              ...(spec.runtimeClassName ? { runtimeClassName: spec.runtimeClassName } : {}),
              ...(taint ? { tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: 'NoSchedule' }] } : {}),
              containers: [
                {
                  name: 'placeholder',
                  image: PAUSE_IMAGE,
                  securityContext: security,
                  // Exactly one gateway's requests: a wake needs one placeholder's room.
                  resources: {
                    requests: { cpu: Quantity.fromString(gateway.requestsCpu), memory: Quantity.fromString(gateway.requestsMemory) },
                    limits: { cpu: Quantity.fromString(gateway.requestsCpu), memory: Quantity.fromString(gateway.requestsMemory) },
                  },
                },
              ],
            },
          },
        },
      });
    }

    // Every tenant node, whichever runtime tier: the gVisor nodes' taint is tolerated, the system nodes' is not.
    const tolerations: Toleration[] = Object.values(RUNTIME_TIER_SPECS).flatMap((s) =>
      s.nodeTaint ? [{ key: s.nodeTaint.key, operator: 'Equal', value: s.nodeTaint.value, effect: 'NoSchedule' }] : [],
    );
    const prepull = { 'app.kubernetes.io/name': 'tenant-image-prepull' };
    const small = { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('16Mi') };
    new KubeDaemonSet(this, 'ImagePrepull', {
      metadata: { name: 'tenant-image-prepull', namespace, labels: { ...props.labels, ...prepull } },
      spec: {
        selector: { matchLabels: prepull },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromString('25%') } },
        template: {
          metadata: { labels: { ...props.labels, ...prepull } },
          spec: {
            ...podBase,
            tolerations,
            // Pulling the image is the point: its init container exits at once, the pause container keeps the pod (and the image) there.
            initContainers: [
              {
                name: 'pull',
                image: props.tenantImage,
                imagePullPolicy: 'IfNotPresent',
                command: ['node', '--version'],
                securityContext: security,
                resources: { requests: small, limits: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('64Mi') } },
              },
            ],
            containers: [{ name: 'hold', image: PAUSE_IMAGE, securityContext: security, resources: { requests: small, limits: small } }],
          },
        },
      },
    });
  }
}
