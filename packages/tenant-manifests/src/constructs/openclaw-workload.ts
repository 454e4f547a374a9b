import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import {
  IntOrString,
  KubeConfigMap,
  KubeDeployment,
  KubePodDisruptionBudget,
  KubeService,
  KubeServiceAccount,
  Quantity,
  SecurityContext,
  Toleration,
} from 'cdk8s-plus-29/lib/imports/k8s';
import {
  GATEWAY_LIVENESS_PATH,
  GATEWAY_PORT,
  GATEWAY_READINESS_PATH,
  IDLE_TIMEOUT_ANNOTATION,
  idleTimeoutProblem,
  POD_PATHS,
  RUNTIME_TIER_LABEL,
  RuntimeTier,
  RuntimeTierSpec,
  TenantNames,
  TierResources,
} from '@openclaw-tenancy/shared';

/** UID/GID of the `node` user in the OpenClaw image. */
export const OPENCLAW_UID = 1000;

export interface OpenClawWorkloadProps {
  readonly names: TenantNames;
  /** Fully qualified image with a pinned tag. */
  readonly image: string;
  /** `openclaw.json` as rendered by `renderOpenClawConfig`. */
  readonly openClawConfig: string;
  /** Source of the exec secret provider script (read-only, outside the workspace). */
  readonly secretProviderScript: string;
  readonly resources: TierResources;
  readonly runtime: RuntimeTier;
  readonly runtimeSpec: RuntimeTierSpec;
  readonly awsRegion: string;
  /**
   * Whether the workload runs. A suspended tenant keeps every object (and its
   * data) but scales to zero.
   * @default true
   */
  readonly running?: boolean;
  /**
   * Seconds without a request, an open WebSocket or running work after which
   * the gateway may stop until the next authenticated request wakes it
   * (`idleTimeoutSecondsFor` from shared).
   * @default - never idles
   */
  readonly idleTimeoutSeconds?: number;
}

/**
 * Where the image keeps the V8 compile cache of OpenClaw's modules, warmed when
 * the image is built and read-only at run time: a start then skips compiling
 * the gateway's code. Never on the tenant volume, which the agent can write.
 */
export const GATEWAY_COMPILE_CACHE_DIR = '/var/cache/openclaw/compile-cache';

/**
 * One OpenClaw gateway: its service account, read-only config, a hardened
 * single-replica Deployment, the Service the edge routes to, and a disruption
 * budget that documents the single replica without ever blocking a node drain.
 */
export class OpenClawWorkload extends Construct {
  constructor(scope: Construct, id: string, props: OpenClawWorkloadProps) {
    super(scope, id);
    const { names, resources } = props;
    if (props.idleTimeoutSeconds !== undefined) {
      const problem =
        idleTimeoutProblem(props.idleTimeoutSeconds) ??
        (props.idleTimeoutSeconds === 0 ? 'leave it out for a gateway that never idles' : undefined);
      if (problem) throw new Error(`tenant ${names.tenantId}: idleTimeoutSeconds ${problem}`);
    }
    const meta = (name: string) => ({ name, namespace: names.namespace, labels: names.labels });

    // Pod Identity injects its own projected token, so the Kubernetes API token is never mounted.
    new KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(names.serviceAccount), automountServiceAccountToken: false });

    new KubeConfigMap(this, 'Config', {
      metadata: meta(names.configMap),
      // Immutable would force a new name per change; a plain ConfigMap plus the checksum annotation below rolls the pod instead.
      data: { 'openclaw.json': props.openClawConfig, 'secret-provider.mjs': props.secretProviderScript },
    });

    const containerSecurity: SecurityContext = {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: OPENCLAW_UID,
      runAsGroup: OPENCLAW_UID,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const taint = props.runtimeSpec.nodeTaint;
    const tolerations: Toleration[] | undefined = taint
      ? [{ key: taint.key, operator: 'Equal', value: taint.value, effect: 'NoSchedule' }]
      : undefined;
    const g = resources.gateway;

    new KubeDeployment(this, 'Deployment', {
      metadata: {
        ...meta(names.deployment),
        ...(props.idleTimeoutSeconds === undefined ? {} : { annotations: { [IDLE_TIMEOUT_ANNOTATION]: String(props.idleTimeoutSeconds) } }),
      },
      spec: {
        replicas: props.running === false ? 0 : 1,
        // Two gateways on one state directory would corrupt its SQLite stores; never overlap.
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 3,
        selector: { matchLabels: { ...names.selectorLabels } },
        template: {
          metadata: {
            labels: { ...names.labels, [RUNTIME_TIER_LABEL]: props.runtime },
            annotations: { 'openclaw.io/config-sha256': sha256Hex(props.openClawConfig + props.secretProviderScript) },
          },
          spec: {
            serviceAccountName: names.serviceAccount,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            ...(props.runtimeSpec.runtimeClassName ? { runtimeClassName: props.runtimeSpec.runtimeClassName } : {}),
            ...(tolerations ? { tolerations } : {}),
            securityContext: {
              runAsNonRoot: true,
              runAsUser: OPENCLAW_UID,
              runAsGroup: OPENCLAW_UID,
              fsGroup: OPENCLAW_UID,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            terminationGracePeriodSeconds: 30,
            initContainers: [
              {
                // OpenClaw runs an exec secret provider only if the binary is owned by the gateway's uid and
                // not writable by anyone else; the image's node is root-owned, so a private copy is made here
                // and mounted read-only into the gateway container.
                name: 'secret-provider-runtime',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: [
                  'sh',
                  '-c',
                  `mkdir -p -m 0755 ${POD_PATHS.secretProviderBinDir} && cp "$(readlink -f "$(command -v node)")" ${POD_PATHS.secretProviderNode} && chmod 0555 ${POD_PATHS.secretProviderNode}`,
                ],
                resources: {
                  requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('32Mi') },
                  limits: { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('64Mi') },
                },
                securityContext: containerSecurity,
                volumeMounts: [{ name: 'provider-runtime', mountPath: POD_PATHS.secretProviderRuntimeDir }],
              },
            ],
            containers: [
              {
                name: 'gateway',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['node', 'dist/index.js'],
                args: ['gateway', 'run'],
                workingDir: '/app',
                ports: [{ name: 'http', containerPort: GATEWAY_PORT, protocol: 'TCP' }],
                env: [
                  { name: 'OPENCLAW_CONFIG_PATH', value: POD_PATHS.configFile },
                  { name: 'OPENCLAW_STATE_DIR', value: POD_PATHS.stateDir },
                  { name: 'HOME', value: POD_PATHS.homeDir },
                  { name: 'TMPDIR', value: POD_PATHS.tmpDir },
                  { name: 'NODE_OPTIONS', value: `--max-old-space-size=${resources.nodeMaxOldSpaceMiB}` },
                  { name: 'NODE_COMPILE_CACHE', value: GATEWAY_COMPILE_CACHE_DIR },
                  // Wake time is start time: every start logs where its time went (about 150 lines).
                  { name: 'OPENCLAW_GATEWAY_STARTUP_TRACE', value: '1' },
                  { name: 'AWS_REGION', value: props.awsRegion },
                  { name: 'OPENCLAW_TENANT_SECRET_PREFIX', value: names.secretIdPrefix },
                ],
                resources: {
                  requests: { cpu: Quantity.fromString(g.requestsCpu), memory: Quantity.fromString(g.requestsMemory) },
                  limits: { cpu: Quantity.fromString(g.limitsCpu), memory: Quantity.fromString(g.limitsMemory) },
                },
                // Health lives at the root path; under the base path the SPA answers 200 for anything.
                startupProbe: {
                  httpGet: { path: GATEWAY_LIVENESS_PATH, port: IntOrString.fromString('http') },
                  periodSeconds: 5,
                  failureThreshold: 36,
                  timeoutSeconds: 3,
                },
                livenessProbe: {
                  httpGet: { path: GATEWAY_LIVENESS_PATH, port: IntOrString.fromString('http') },
                  periodSeconds: 20,
                  failureThreshold: 3,
                  timeoutSeconds: 5,
                },
                readinessProbe: {
                  httpGet: { path: GATEWAY_READINESS_PATH, port: IntOrString.fromString('http') },
                  periodSeconds: 10,
                  failureThreshold: 3,
                  timeoutSeconds: 5,
                },
                securityContext: containerSecurity,
                volumeMounts: [
                  { name: 'home', mountPath: POD_PATHS.homeDir },
                  { name: 'state', mountPath: POD_PATHS.stateDir },
                  { name: 'config', mountPath: POD_PATHS.configDir, readOnly: true },
                  { name: 'provider-runtime', mountPath: POD_PATHS.secretProviderRuntimeDir, readOnly: true },
                  { name: 'tmp', mountPath: POD_PATHS.tmpDir },
                ],
              },
            ],
            volumes: [
              { name: 'state', persistentVolumeClaim: { claimName: names.persistentVolumeClaim } },
              // 0444 files in a directory the gateway cannot write: a config rewrite fails with EACCES/EROFS.
              { name: 'config', configMap: { name: names.configMap, defaultMode: 0o444 } },
              { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('1Gi') } },
              { name: 'home', emptyDir: { sizeLimit: Quantity.fromString('256Mi') } },
              { name: 'provider-runtime', emptyDir: { sizeLimit: Quantity.fromString('256Mi') } },
            ],
          },
        },
      },
    });

    new KubeService(this, 'Service', {
      metadata: meta(names.service),
      spec: {
        type: 'ClusterIP',
        selector: { ...names.selectorLabels },
        ports: [{ name: 'http', port: GATEWAY_PORT, targetPort: IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    // maxUnavailable 1 with one replica: voluntary evictions always succeed, so node drains and
    // consolidation never stall (minAvailable 1 with one replica would block them forever).
    new KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: meta(names.podDisruptionBudget),
      spec: {
        maxUnavailable: IntOrString.fromNumber(1),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchLabels: { ...names.selectorLabels } },
      },
    });
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
