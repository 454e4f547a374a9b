/**
 * Every name derived from a tenant id, in one place. Lambdas, charts, the CDK
 * app, the auth UI and the local platform all call this module, so a name can
 * never drift between the component that creates a thing and the one that
 * looks it up (a delete that derives a name differently leaks the resource,
 * e.g. a Pod Identity association).
 */
import { assertTenantId } from './tenant-id';

/** Label carrying the tenant id on every tenant object. */
export const TENANT_LABEL = 'openclaw.io/tenant';
/** Label carrying the runtime tier on tenant pods. */
export const RUNTIME_TIER_LABEL = 'openclaw.io/runtime-tier';
export const PART_OF = 'openclaw-tenancy';
export const MANAGED_BY = 'openclaw-tenancy';
/** Prefix of every tenant namespace; each tenant's AppProject allows exactly its own. */
export const TENANT_NAMESPACE_PREFIX = 'openclaw-';

/** The OpenClaw gateway listens here inside the pod. */
export const GATEWAY_PORT = 18789;
/** Header in which the edge forwards the verified identity (the owner's Cognito `sub`). */
export const IDENTITY_HEADER = 'x-openclaw-user';
/** Cognito custom attribute holding the claimed tenant id (admin-write only). */
export const TENANT_ID_ATTRIBUTE = 'custom:tenant_id';
/** Header with which the edge caps the operator scopes of every forwarded request (OpenClaw honors it as a cap, never a grant). */
export const SCOPES_HEADER = 'x-openclaw-scopes';
/**
 * Scopes a tenant owner gets. `operator.admin` is deliberately absent: with it
 * the tenant could rewrite its tool policy (`config.patch`), pair devices and
 * open a host terminal. Without it `config.*` writes fail with MISSING_SCOPE
 * (verified with openclaw 2026.9.6). Trusted-proxy HTTP calls without the
 * scopes header would get the full default set, admin included, so the edge
 * always sets it to this list.
 */
export const OWNER_OPERATOR_SCOPES = ['operator.read', 'operator.write', 'operator.approvals', 'operator.questions'] as const;
/** JWT claim name of that attribute in the ID token. */
export const TENANT_ID_CLAIM = TENANT_ID_ATTRIBUTE;
/** Cookie in which the browser presents its Cognito ID token to the edge. */
export const EDGE_SESSION_COOKIE = 'openclaw_session';

/** Path under a tenant's route that the edge maps to the gateway's `/readyz`. */
export const READINESS_SUFFIX = '/_platform/ready';
/** The gateway's own readiness endpoint (root path, unauthenticated inside the pod network). */
export const GATEWAY_READINESS_PATH = '/readyz';
/**
 * Under a tenant's route: OpenClaw's per-session workspace icon. OpenClaw
 * serves it to `operator.admin` only, which the edge never grants, so every
 * chat the Control UI opens would fetch a refusal; the edge answers it with
 * the Control UI's own icon ({@link CONTROL_UI_ICON_SUFFIX}) instead.
 */
export const WORKSPACE_ICON_SUFFIX = '/__openclaw__/workspace-icon';
/** Under a tenant's route: the icon the Control UI ships (a static asset every operator scope may read). */
export const CONTROL_UI_ICON_SUFFIX = '/favicon.svg';
export const GATEWAY_LIVENESS_PATH = '/healthz';

/** Common prefix of every tenant's Secrets Manager ids (IAM resource scoping). */
export const TENANT_SECRET_ID_ROOT = 'openclaw/tenants/';
/**
 * Days an offboarded tenant's secret stays restorable (Secrets Manager's
 * maximum). The offboarder asks for it and its IAM policy allows no shorter
 * window, nor a forced deletion.
 */
export const TENANT_SECRET_RECOVERY_WINDOW_DAYS = 30;

/** Tag keys on tenant AWS resources; the ABAC policy compares `tenant-namespace` with the Pod Identity session tag. */
export const TAG_TENANT = 'tenant';
export const TAG_TENANT_NAMESPACE = 'tenant-namespace';

/** Platform objects (fixed, not per tenant). */
export const PLATFORM_NAMES = {
  argoCdNamespace: 'argocd',
  /** Service account Argo CD's application controller applies every object with. */
  argoCdApplicationController: 'argocd-application-controller',
  /** Generates one Application per tenant folder, each in that tenant's own AppProject. */
  applicationSet: 'openclaw-tenants',
  /** Generates one `project-<id>` Application per tenant folder, each stamping that tenant's AppProject. */
  tenantProjectsApplicationSet: 'openclaw-tenant-projects',
  /** The AppProject of those Applications: AppProjects in the Argo CD namespace, nothing else. */
  tenantProjectsProject: 'platform-tenant-projects',
  edgeNamespace: 'openclaw-edge',
  gatewayClass: 'openclaw-edge',
  gateway: 'openclaw-edge',
  gatewayListener: 'http',
  /**
   * Route and SecurityPolicy (edge namespace) for every `/t/…` path no tenant
   * route matches: answered like an existing tenant refusing the caller (401
   * without a token, 403 with one), so paths reveal no tenant or employee.
   */
  unmatchedTenantRoute: 'openclaw-unmatched-tenants',
  /** Envoy Gateway runs the data-plane pods of every Gateway in its own namespace. */
  envoyGatewayNamespace: 'envoy-gateway-system',
  envoyOwningGatewayNameLabel: 'gateway.envoyproxy.io/owning-gateway-name',
  /** EnvoyProxy parameters of the edge Gateway. */
  envoyProxy: 'openclaw-edge',
  /** Fixed name of the data-plane Service (in `envoyGatewayNamespace`) the internal ALB targets. */
  envoyService: 'openclaw-edge-envoy',
  /** Port of the edge listener (plain HTTP inside the VPC; TLS ends at CloudFront and the ALB). */
  gatewayListenerPort: 8080,
  storageClass: 'openclaw-efs',
  gvisorRuntimeClass: 'gvisor',
  /** Prometheus (scraping only the edge's Envoy proxies) and KEDA, which scale idle gateways to zero (ADR 0700). */
  metricsNamespace: 'openclaw-metrics',
  /** The Prometheus server's Service in `metricsNamespace` (Helm release `prometheus` of prometheus-community/prometheus). */
  metricsServerService: 'prometheus-server',
  kedaNamespace: 'keda',
  /** Capacity kept for wakes: placeholder pods and the image pre-pull, in their own namespace. */
  capacityNamespace: 'openclaw-capacity',
  /** The PriorityClass of the placeholder pods: below every tenant gateway, so the scheduler evicts them first. */
  placeholderPriorityClass: 'openclaw-placeholder',
} as const;

/** The deployed name of a platform function; operator commands find the deployment's resources through it. */
export function platformFunctionName(platformName: string, platformFunction: string): string {
  return `${platformName}-${platformFunction}`;
}

/**
 * The CloudFormation stacks of a platform, in the order they deploy: each
 * depends only on stacks before it, so they are deleted in reverse. `waf` lives
 * in us-east-1 (CloudFront's web ACLs must); the others in `aws.region`.
 */
export const PLATFORM_STACK_LAYERS = ['waf', 'network', 'alerts', 'cluster', 'data', 'control-plane', 'edge', 'audit'] as const;
export type PlatformStackLayer = (typeof PLATFORM_STACK_LAYERS)[number];
/** The region of the one stack that does not live in `aws.region`. */
export const GLOBAL_EDGE_REGION = 'us-east-1';

/** The deployed name of a platform stack: `<platformName>-<layer>`. */
export function platformStackName(platformName: string, layer: PlatformStackLayer): string {
  return `${platformName}-${layer}`;
}

/** Where a platform stack lives. */
export function platformStackRegion(layer: PlatformStackLayer, region: string): string {
  return layer === 'waf' ? GLOBAL_EDGE_REGION : region;
}

/** The AWS Backup plan of the tenant file system; operator commands find the file system and vault through it. */
export function tenantBackupPlanName(platformName: string): string {
  return `${platformName}-tenant-data`;
}

/** Paths inside the GitOps repository. */
export const GIT_PATHS = {
  registryDir: 'tenants',
  tenantsDeployDir: 'deploy/tenants',
  platformDeployDir: 'deploy/platform',
  /** The AppProject template every tenant's project is stamped from (read at the pinned platform revision). */
  tenantProjectTemplateDir: 'deploy/platform/tenant-project',
} as const;

/** Paths inside the tenant pod. */
export const POD_PATHS = {
  /** The PVC: OpenClaw state (sessions, memory, workspace). */
  stateDir: '/home/node/.openclaw',
  workspaceDir: '/home/node/.openclaw/workspace',
  /** The ConfigMap, mounted read-only so the gateway cannot rewrite its own policy. */
  configDir: '/etc/openclaw',
  configFile: '/etc/openclaw/openclaw.json',
  /** Secret provider script (read-only ConfigMap, outside the agent-writable workspace). */
  secretProviderScript: '/etc/openclaw/secret-provider.mjs',
  /**
   * Directory holding the Node.js binary that runs the secret provider. OpenClaw
   * requires the provider command to be owned by the gateway's own uid, so an
   * init container copies the image's node here (an emptyDir mounted read-only
   * into the gateway container).
   */
  secretProviderRuntimeDir: '/opt/openclaw',
  secretProviderBinDir: '/opt/openclaw/bin',
  secretProviderNode: '/opt/openclaw/bin/node',
  tmpDir: '/tmp',
  homeDir: '/home/node',
} as const;

/** Secrets a tenant owns in Secrets Manager (suffix → purpose). */
export const TENANT_SECRETS = {
  /**
   * The gateway's own credentials, one JSON object: `operatorPassword` is the
   * break-glass credential for platform automation (`openclaw` CLI through a
   * port-forward; browsers use trusted-proxy identity). The gateway resolves it
   * at every start through the exec secret provider, so a missing secret or a
   * broken ABAC chain fails closed.
   */
  gateway: 'gateway',
} as const;
/** JSON key of the operator password inside the `gateway` secret. */
export const OPERATOR_PASSWORD_KEY = 'operatorPassword';
export type TenantSecretKey = keyof typeof TENANT_SECRETS;

export interface TenantNames {
  readonly tenantId: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly configMap: string;
  readonly persistentVolumeClaim: string;
  readonly deployment: string;
  /** The KEDA ScaledObject that scales `deployment` between 0 and 1 on the tenant route's traffic. */
  readonly scaledObject: string;
  readonly service: string;
  readonly resourceQuota: string;
  readonly limitRange: string;
  readonly defaultDenyPolicy: string;
  readonly gatewayNetworkPolicy: string;
  readonly podDisruptionBudget: string;
  readonly httpRoute: string;
  readonly securityPolicy: string;
  readonly argoApplication: string;
  /** The AppProject that confines `argoApplication` to `namespace`. */
  readonly argoProject: string;
  /** The Application that stamps `argoProject` from the platform's template. */
  readonly argoProjectApplication: string;
  /** `/t/<id>`: the Control UI base path and the HTTPRoute prefix. */
  readonly routePath: string;
  /**
   * Readiness of the workspace through the edge: the edge rewrites it to the
   * gateway's root `/readyz` (OpenClaw serves health only at the root, and the
   * SPA answers 200 for any path under the base path).
   */
  readonly readinessPath: string;
  /** `/t/<id>/__openclaw__/workspace-icon`: with everything below it, answered with {@link controlUiIconPath}. */
  readonly workspaceIconPath: string;
  /** `/t/<id>/favicon.svg`: the Control UI's icon. */
  readonly controlUiIconPath: string;
  readonly registryFile: string;
  readonly deployDir: string;
  /**
   * Root directory of the tenant's EFS access point. The EFS CSI driver derives
   * it from the namespace (`basePath` + `${.PVC.namespace}`); the id is never
   * reused, so neither is the directory.
   */
  readonly efsRootDirectory: string;
  /** Labels put on every object of the tenant. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels that select the gateway pod (a stable subset of `labels`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  secretId(key: TenantSecretKey): string;
  /** Prefix of all the tenant's secret ids, for IAM resource scoping. */
  readonly secretIdPrefix: string;
  /** Name of the per-tenant Bedrock application inference profile for a model alias. */
  inferenceProfileName(modelAlias: string): string;
}

/** All names for one tenant. Throws if `tenantId` is not a valid id. */
export function tenantNames(tenantId: string): TenantNames {
  const id = assertTenantId(tenantId);
  const selectorLabels = { 'app.kubernetes.io/name': 'openclaw-gateway', 'app.kubernetes.io/instance': id };
  const secretIdPrefix = `${TENANT_SECRET_ID_ROOT}${id}/`;
  return Object.freeze({
    tenantId: id,
    namespace: `${TENANT_NAMESPACE_PREFIX}${id}`,
    serviceAccount: 'openclaw-gateway',
    configMap: 'openclaw-config',
    persistentVolumeClaim: 'openclaw-state',
    deployment: 'openclaw-gateway',
    scaledObject: 'openclaw-gateway',
    service: 'openclaw-gateway',
    resourceQuota: 'tenant-quota',
    limitRange: 'tenant-limits',
    defaultDenyPolicy: 'default-deny-all',
    gatewayNetworkPolicy: 'openclaw-gateway',
    podDisruptionBudget: 'openclaw-gateway',
    httpRoute: 'openclaw-gateway',
    securityPolicy: 'openclaw-edge-auth',
    argoApplication: `tenant-${id}`,
    argoProject: `tenant-${id}`,
    argoProjectApplication: `project-${id}`,
    routePath: `/t/${id}`,
    readinessPath: `/t/${id}${READINESS_SUFFIX}`,
    workspaceIconPath: `/t/${id}${WORKSPACE_ICON_SUFFIX}`,
    controlUiIconPath: `/t/${id}${CONTROL_UI_ICON_SUFFIX}`,
    registryFile: `${GIT_PATHS.registryDir}/${id}.yaml`,
    deployDir: `${GIT_PATHS.tenantsDeployDir}/${id}`,
    efsRootDirectory: `/tenants/${TENANT_NAMESPACE_PREFIX}${id}`,
    labels: Object.freeze({
      ...selectorLabels,
      [TENANT_LABEL]: id,
      'app.kubernetes.io/part-of': PART_OF,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    }),
    selectorLabels: Object.freeze(selectorLabels),
    secretIdPrefix,
    secretId: (key: TenantSecretKey) => `${secretIdPrefix}${TENANT_SECRETS[key]}`,
    inferenceProfileName: (modelAlias: string) => `openclaw-${id}-${modelAlias}`,
  });
}

/** Inverse of `namespace`: the tenant id of a tenant namespace, or undefined for any other namespace. */
export function tenantIdFromNamespace(namespace: string): string | undefined {
  if (!namespace.startsWith(TENANT_NAMESPACE_PREFIX)) return undefined;
  return namespace.slice(TENANT_NAMESPACE_PREFIX.length);
}

/** Parses `/t/<id>` or `/t/<id>/...`; returns the id only when it is a valid tenant id. */
export function tenantIdFromRoutePath(path: string): string | undefined {
  const match = /^\/t\/([^/?#]+)(?:[/?#]|$)/.exec(path);
  if (!match?.[1]) return undefined;
  const candidate = match[1];
  try {
    return assertTenantId(candidate);
  } catch {
    return undefined;
  }
}
