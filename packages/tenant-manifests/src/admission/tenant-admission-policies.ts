/**
 * The tenant rules as the API server enforces them: ValidatingAdmissionPolicies
 * (admissionregistration.k8s.io/v1, GA since Kubernetes 1.30) and their
 * bindings, synthesized into `deploy/platform/` and so deployed from the
 * pinned platform revision, out of reach of the provisioner's Git credential.
 *
 * The CEL below is the one definition of these rules: the tests evaluate it
 * with a CEL engine (`admission-evaluator.ts`) and the local platform's
 * reconciler applies it before it starts anything. Every message starts with
 * the rule id in brackets.
 *
 * Values the rules compare with (issuer, domain, image repository, runtime
 * tiers, reserved ids) are written in from the platform config and the
 * shared constants at synthesis, so a policy never reads anything a tenant
 * folder can write.
 */
import {
  GATEWAY_PORT,
  IdentityEndpoints,
  PLATFORM_NAMES,
  PlatformConfig,
  DEFAULT_RUNTIME_TIER,
  RESERVED_TENANT_IDS,
  TENANT_TIERS,
  newTenantRecord,
  RUNTIME_TIERS,
  RUNTIME_TIER_LABEL,
  RUNTIME_TIER_SPECS,
  TENANT_ID_CLAIM,
  TENANT_LABEL,
  TENANT_NAMESPACE_PREFIX,
  IDLE_METRICS_SERVER_URL,
  SCALER_POLLING_MAX_SECONDS,
  SCALER_POLLING_MIN_SECONDS,
  identityEndpoints,
  tenantActivityQuery,
  tenantNames,
} from '@openclaw-tenancy/shared';
import { TENANT_CLUSTER_KIND, TENANT_NAMESPACED_KINDS } from '../gitops/tenant-kinds';
import { FOLDER_NAME_PARAM, TEMPLATE_TENANT_ID, templatedName } from '../gitops/tenant-project';
import { synthesizeTenantObjects } from '../synthesis/synthesize';

/** Argo CD stamps this annotation (`<application>:<group>/<kind>:<namespace>/<name>`) on every object it applies. */
export const ARGOCD_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** Every tenant Application's name starts with this (`tenantNames().argoApplication`). */
const TENANT_APPLICATION_PREFIX = templatedName((n) => n.argoApplication).split(FOLDER_NAME_PARAM)[0] as string;
/** The route every tenant SecurityPolicy targets (the same name in every tenant namespace). */
const TENANT_ROUTE_NAME = tenantNames(TEMPLATE_TENANT_ID).httpRoute;
/** The gateway Deployment every tenant ScaledObject scales (the same name in every tenant namespace). */
const TENANT_DEPLOYMENT_NAME = tenantNames(TEMPLATE_TENANT_ID).deployment;

export interface AdmissionRule {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly scope: 'Namespaced' | 'Cluster' | '*';
}

export interface ValidatingAdmissionPolicyObject {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'ValidatingAdmissionPolicy';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly failurePolicy: 'Fail';
    readonly matchConstraints: {
      readonly resourceRules: ReadonlyArray<{
        readonly apiGroups: readonly string[];
        readonly apiVersions: readonly string[];
        readonly resources: readonly string[];
        readonly operations: readonly string[];
        readonly scope?: string;
      }>;
    };
    readonly matchConditions?: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly variables?: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly validations: ReadonlyArray<{
      readonly expression: string;
      readonly message?: string;
      readonly messageExpression?: string;
      readonly reason?: string;
    }>;
  };
}

export interface ValidatingAdmissionPolicyBindingObject {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'ValidatingAdmissionPolicyBinding';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly policyName: string;
    readonly validationActions: readonly ('Deny' | 'Audit' | 'Warn')[];
    readonly matchResources?: {
      readonly namespaceSelector?: {
        readonly matchExpressions: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
      };
    };
  };
}

export interface TenantAdmissionPolicySet {
  readonly policies: readonly ValidatingAdmissionPolicyObject[];
  readonly bindings: readonly ValidatingAdmissionPolicyBindingObject[];
}

/** What the policies compare with, from the platform config. */
export interface TenantAdmissionSettings {
  readonly identity: IdentityEndpoints;
  readonly domain: string;
  readonly imageRepository: string;
  /**
   * Tenants run only digest-pinned builds of `imageRepository` (the config pins `image.digest`): a tag pushed
   * again cannot change what runs. Any digest of the repository, so a rollout wave or a held-back tenant may run
   * another build than the platform image (docs/adr/0603).
   * @default false - any image of `imageRepository`
   */
  readonly requireDigest?: boolean;
  /** Pod Security Standard version the tenant namespace labels pin, e.g. `v1.33`. */
  readonly podSecurityVersion: string;
  /** Every NetworkPolicy rule a tenant may hold (the ones the tenant chart writes): a folder may drop rules, never add one. */
  readonly networkRules: { readonly ingress: readonly unknown[]; readonly egress: readonly unknown[] };
  /** The ResourceQuota `spec.hard` of each tier, quantities as strings (as the API server holds them). */
  readonly quotaHardSpecs: readonly Readonly<Record<string, string>>[];
}

export function tenantAdmissionSettings(config: PlatformConfig): TenantAdmissionSettings {
  const objects = TENANT_TIERS.flatMap((tier) =>
    synthesizeTenantObjects(
      newTenantRecord({ id: TEMPLATE_TENANT_ID, owner: TEMPLATE_TENANT_ID, tier, runtime: DEFAULT_RUNTIME_TIER, createdAt: new Date(0) }),
      config,
    ),
  );
  const specsOf = (kind: string): unknown[] => {
    const seen = new Map<string, unknown>();
    for (const o of objects.filter((x) => x.kind === kind)) seen.set(JSON.stringify(o.spec), o.spec);
    return [...seen.values()];
  };
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.spec as { ingress?: unknown[]; egress?: unknown[] });
  const unique = (rules: unknown[]): unknown[] => [...new Map(rules.map((r) => [JSON.stringify(r), r])).values()];
  return {
    identity: identityEndpoints(config),
    domain: config.domain.name,
    imageRepository: config.image.repository,
    ...(config.image.digest ? { requireDigest: true } : {}),
    podSecurityVersion: `v${config.cluster.kubernetesVersion}`,
    networkRules: { ingress: unique(policies.flatMap((p) => p.ingress ?? [])), egress: unique(policies.flatMap((p) => p.egress ?? [])) },
    quotaHardSpecs: specsOf('ResourceQuota').map((spec) =>
      Object.fromEntries(Object.entries((spec as { hard: Record<string, unknown> }).hard).map(([k, v]) => [k, String(v)])),
    ),
  };
}

/**
 * A JSON value as a CEL literal (integers stay integers, as Kubernetes hands
 * them to CEL). Elements and values are `dyn()`: JSON objects mix value types,
 * which a checker that wants homogeneous literals would otherwise refuse.
 */
function celLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return q(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : `double(${value})`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => `dyn(${celLiteral(v)})`).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${q(k)}: dyn(${celLiteral(v)})`)
    .join(', ')}}`;
}

const q = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** A literal for an RE2 pattern (CEL's `matches`). */
const re2Escape = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const list = (values: readonly string[]): string => `[${values.map(q).join(', ')}]`;
const allOf = (...terms: string[]): string => terms.map((t) => `(${t})`).join(' && ');
const anyOf = (...terms: string[]): string => terms.map((t) => `(${t})`).join(' || ');
/** A field that is absent or equal to `value` (CEL errors on a missing key, so presence is tested first). */
const absentOr = (obj: string, field: string, test: string): string => `!has(${obj}.${field}) || ${test}`;

/** Tenant namespaces: the tenant label is present (the namespace policy makes it match the name). */
const TENANT_NAMESPACE_SELECTOR = { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] };
/** Platform namespaces that carry the tenant prefix; no tenant folder may be named after one. */
const PLATFORM_NAMESPACES_WITH_TENANT_PREFIX = [
  PLATFORM_NAMES.argoCdNamespace,
  PLATFORM_NAMES.edgeNamespace,
  PLATFORM_NAMES.envoyGatewayNamespace,
].filter((n) => n.startsWith(TENANT_NAMESPACE_PREFIX));

const TENANT_ID_RE2 = '^[a-z](?:[a-z0-9-]*[a-z0-9])?$';
const POLICY_PREFIX = 'openclaw-tenant-';
const LABELS = { 'app.kubernetes.io/part-of': 'openclaw-tenancy', 'app.kubernetes.io/managed-by': 'openclaw-tenancy' } as const;

function policy(
  name: string,
  rules: ValidatingAdmissionPolicyObject['spec']['matchConstraints']['resourceRules'],
  body: Pick<ValidatingAdmissionPolicyObject['spec'], 'matchConditions' | 'variables' | 'validations'>,
): ValidatingAdmissionPolicyObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: `${POLICY_PREFIX}${name}`, labels: LABELS },
    spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: rules }, ...body },
  };
}

const WRITE = ['CREATE', 'UPDATE'];
/** What a tenant ScaledObject may set: no fallback replicas, no HPA behaviour, no idle replica count. */
const SCALER_FIELDS = ['scaleTargetRef', 'minReplicaCount', 'maxReplicaCount', 'pollingInterval', 'cooldownPeriod', 'triggers'];
const SCALER_TRIGGER_KEYS = ['serverAddress', 'query', 'threshold', 'activationThreshold'];

/** Every rule, as policies and bindings. */
export function tenantAdmissionPolicies(settings: TenantAdmissionSettings): TenantAdmissionPolicySet {
  const tenantKinds = [...TENANT_NAMESPACED_KINDS, TENANT_CLUSTER_KIND].map((k) => `${k.group}/${k.kind}`);
  const tracking = `object.metadata.annotations[${q(ARGOCD_TRACKING_ANNOTATION)}]`;
  const nsTenant = `namespaceObject.metadata.labels[${q(TENANT_LABEL)}]`;

  const applicationScope = policy(
    'application-scope',
    [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: WRITE, scope: '*' }],
    {
      matchConditions: [
        {
          name: 'applied-by-a-tenant-application',
          expression: allOf(
            'has(object.metadata.annotations)',
            `${q(ARGOCD_TRACKING_ANNOTATION)} in object.metadata.annotations`,
            `${tracking}.startsWith(${q(TENANT_APPLICATION_PREFIX)})`,
          ),
        },
      ],
      variables: [
        { name: 'application', expression: `${tracking}.split(':')[0]` },
        {
          name: 'namespaceLabels',
          expression: `request.namespace == '' ? (has(object.metadata.labels) ? object.metadata.labels : {}) : (namespaceObject != null && has(namespaceObject.metadata.labels) ? namespaceObject.metadata.labels : {})`,
        },
        {
          name: 'tenantId',
          expression: `${q(TENANT_LABEL)} in variables.namespaceLabels ? variables.namespaceLabels[${q(TENANT_LABEL)}] : ''`,
        },
      ],
      validations: [
        {
          expression: `(request.kind.group + '/' + request.kind.kind) in ${list(tenantKinds)}`,
          messageExpression: `'[TENANT-KINDS] ' + variables.application + ' may not manage ' + request.kind.kind + ' objects; a tenant folder holds only ${tenantKinds.map((k) => k.split('/')[1]).join(', ')}'`,
        },
        {
          expression: allOf(
            `variables.tenantId != ''`,
            `variables.application == ${q(TENANT_APPLICATION_PREFIX)} + variables.tenantId`,
            `request.namespace == '' ? object.metadata.name == ${q(TENANT_NAMESPACE_PREFIX)} + variables.tenantId : request.namespace == ${q(TENANT_NAMESPACE_PREFIX)} + variables.tenantId`,
          ),
          messageExpression: `'[TENANT-OWN-NAMESPACE] ' + variables.application + ' may manage objects only in its own namespace, not ' + (request.namespace == '' ? request.kind.kind + ' ' + object.metadata.name : 'in namespace ' + request.namespace)`,
        },
        {
          expression: allOf(`variables.tenantId.matches(${q(TENANT_ID_RE2)})`, `!(variables.tenantId in ${list(RESERVED_TENANT_IDS)})`),
          messageExpression: `'[TENANT-ID] "' + variables.tenantId + '" is not a tenant id (reserved for the platform or malformed)'`,
        },
      ],
    },
  );

  const pss = ['enforce', 'audit', 'warn'];
  const namespaces = policy('namespaces', [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: WRITE }], {
    matchConditions: [
      {
        name: 'tenant-namespace',
        expression: allOf(
          `object.metadata.name.startsWith(${q(TENANT_NAMESPACE_PREFIX)})`,
          `!(object.metadata.name in ${list(PLATFORM_NAMESPACES_WITH_TENANT_PREFIX)})`,
        ),
      },
    ],
    variables: [{ name: 'labels', expression: 'has(object.metadata.labels) ? object.metadata.labels : {}' }],
    validations: [
      {
        expression: allOf(
          `${q(TENANT_LABEL)} in variables.labels`,
          `object.metadata.name == ${q(TENANT_NAMESPACE_PREFIX)} + variables.labels[${q(TENANT_LABEL)}]`,
        ),
        messageExpression: `'[TENANT-NAMESPACE-LABEL] namespace ' + object.metadata.name + ' must carry ${TENANT_LABEL} with the tenant id of its own name'`,
      },
      {
        expression: `${list(pss)}.all(m, ('pod-security.kubernetes.io/' + m) in variables.labels && variables.labels['pod-security.kubernetes.io/' + m] == 'restricted' && ('pod-security.kubernetes.io/' + m + '-version') in variables.labels && variables.labels['pod-security.kubernetes.io/' + m + '-version'] == ${q(settings.podSecurityVersion)})`,
        message: `[TENANT-NAMESPACE-PSS] a tenant namespace enforces, audits and warns Pod Security "restricted" at ${settings.podSecurityVersion}`,
      },
    ],
  });

  const pod = 'object.spec.template.spec';
  const tierTerms = RUNTIME_TIERS.map((tier) => {
    const spec = RUNTIME_TIER_SPECS[tier];
    const runtimeClass = spec.runtimeClassName
      ? allOf('has(variables.pod.runtimeClassName)', `variables.pod.runtimeClassName == ${q(spec.runtimeClassName)}`)
      : '!has(variables.pod.runtimeClassName)';
    const tolerations = spec.nodeTaint
      ? `has(variables.pod.tolerations) && variables.pod.tolerations.all(t, has(t.key) && t.key == ${q(spec.nodeTaint.key)} && has(t.value) && t.value == ${q(spec.nodeTaint.value)} && has(t.effect) && t.effect == 'NoSchedule')`
      : '!has(variables.pod.tolerations) || size(variables.pod.tolerations) == 0';
    return allOf(`variables.tier == ${q(tier)}`, runtimeClass, tolerations);
  });
  const workloads = policy('workloads', [{ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'], operations: WRITE }], {
    variables: [
      { name: 'pod', expression: pod },
      {
        name: 'containers',
        expression: `(has(${pod}.initContainers) ? ${pod}.initContainers : []) + ${pod}.containers + (has(${pod}.ephemeralContainers) ? ${pod}.ephemeralContainers : [])`,
      },
      {
        name: 'tier',
        expression: `has(object.spec.template.metadata.labels) && ${q(RUNTIME_TIER_LABEL)} in object.spec.template.metadata.labels ? object.spec.template.metadata.labels[${q(RUNTIME_TIER_LABEL)}] : ''`,
      },
    ],
    validations: [
      {
        expression: ['hostNetwork', 'hostPID', 'hostIPC']
          .map((f) => absentOr('variables.pod', f, `variables.pod.${f} == false`))
          .map((t) => `(${t})`)
          .join(' && '),
        message: '[TENANT-HOST-NAMESPACES] tenant pods may not use the node network, PID or IPC namespace',
      },
      {
        expression: absentOr('variables.pod', 'volumes', 'variables.pod.volumes.all(v, !has(v.hostPath))'),
        message: '[TENANT-NO-HOSTPATH] tenant pods may not mount a hostPath volume',
      },
      {
        expression: `variables.containers.all(c, ${absentOr('c', 'securityContext', absentOr('c.securityContext', 'privileged', 'c.securityContext.privileged == false'))})`,
        message: '[TENANT-NO-PRIVILEGED] tenant containers may not be privileged',
      },
      {
        expression: `variables.containers.all(c, ${absentOr('c', 'ports', `c.ports.all(p, ${absentOr('p', 'hostPort', 'p.hostPort == 0')})`)})`,
        message: '[TENANT-NO-HOSTPORT] tenant containers may not bind a host port',
      },
      {
        expression: allOf(
          '!has(variables.pod.nodeName)',
          '!has(variables.pod.nodeSelector)',
          '!has(variables.pod.affinity)',
          anyOf(...tierTerms),
        ),
        messageExpression: `'[TENANT-RUNTIME-TIER] runtime class and tolerations must be exactly those of the runtime tier in label ${RUNTIME_TIER_LABEL} (' + variables.tier + '; one of ${RUNTIME_TIERS.join(', ')}), and no node pinning'`,
      },
      settings.requireDigest
        ? {
            expression: `variables.containers.all(c, c.image.matches(${q(`^${re2Escape(settings.imageRepository)}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[a-f0-9]{64}$`)}))`,
            message: `[TENANT-IMAGE] tenant containers run a digest-pinned build of the platform image ${settings.imageRepository} only`,
          }
        : {
            expression: `variables.containers.all(c, c.image.startsWith(${q(`${settings.imageRepository}:`)}) || c.image.startsWith(${q(`${settings.imageRepository}@`)}))`,
            message: `[TENANT-IMAGE] tenant containers run the platform image ${settings.imageRepository} only`,
          },
    ],
  });

  const services = policy('services', [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: WRITE }], {
    validations: [
      {
        expression: absentOr('object.spec', 'type', `object.spec.type == 'ClusterIP'`),
        message: '[TENANT-SERVICE-CLUSTERIP] tenant Services are ClusterIP only',
      },
      {
        expression: allOf(
          absentOr('object.spec', 'externalIPs', 'size(object.spec.externalIPs) == 0'),
          absentOr('object.spec', 'externalName', 'false'),
        ),
        message: '[TENANT-SERVICE-NO-EXTERNAL] tenant Services may not set externalIPs or externalName',
      },
      {
        expression: absentOr('object.spec', 'ports', `object.spec.ports.all(p, p.port == ${GATEWAY_PORT})`),
        message: `[TENANT-SERVICE-PORTS] tenant Services expose the gateway port only`,
      },
    ],
  });

  const allowedFilters = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'URLRewrite'];
  const prefix = `'/t/' + variables.tenantId`;
  const routes = policy(
    'routes',
    [{ apiGroups: ['gateway.networking.k8s.io'], apiVersions: ['*'], resources: ['httproutes'], operations: WRITE }],
    {
      variables: [{ name: 'tenantId', expression: nsTenant }],
      validations: [
        {
          expression: allOf(
            'has(object.spec.parentRefs)',
            'size(object.spec.parentRefs) > 0',
            `object.spec.parentRefs.all(p, p.name == ${q(PLATFORM_NAMES.gateway)} && has(p.namespace) && p.namespace == ${q(PLATFORM_NAMES.edgeNamespace)} && (!has(p.kind) || p.kind == 'Gateway'))`,
          ),
          message: `[TENANT-ROUTE-PARENT] a tenant route attaches to the platform Gateway ${PLATFORM_NAMES.edgeNamespace}/${PLATFORM_NAMES.gateway} only`,
        },
        {
          expression: `has(object.spec.rules) && object.spec.rules.all(r, has(r.matches) && size(r.matches) > 0 && r.matches.all(m, has(m.path) && (!has(m.path.type) || m.path.type in ['PathPrefix', 'Exact']) && has(m.path.value) && (m.path.value == ${prefix} || m.path.value.startsWith(${prefix} + '/'))))`,
          messageExpression: `'[TENANT-ROUTE-PATH] a tenant route matches only /t/' + variables.tenantId + ' and paths below it (PathPrefix or Exact)'`,
        },
        {
          expression: `object.spec.rules.all(r, !has(r.backendRefs) || r.backendRefs.all(b, (!has(b.group) || b.group == '') && (!has(b.kind) || b.kind == 'Service') && !has(b.namespace)))`,
          message: '[TENANT-ROUTE-BACKEND] a tenant route forwards only to Services in its own namespace',
        },
        {
          expression: `object.spec.rules.all(r, (!has(r.filters) || r.filters.all(f, f.type in ${list(allowedFilters)})) && (!has(r.backendRefs) || r.backendRefs.all(b, !has(b.filters) || b.filters.all(f, f.type in ${list(allowedFilters)}))))`,
          message: `[TENANT-ROUTE-FILTERS] a tenant route may use only the ${allowedFilters.join(', ')} filters`,
        },
        {
          expression: `has(object.spec.hostnames) && object.spec.hostnames.all(h, h == ${q(settings.domain)})`,
          message: `[TENANT-ROUTE-HOSTNAME] a tenant route answers on ${settings.domain} only`,
        },
      ],
    },
  );

  const { issuer, jwksUri, audience } = settings.identity;
  const securityPolicies = policy(
    'security-policies',
    [{ apiGroups: ['gateway.envoyproxy.io'], apiVersions: ['*'], resources: ['securitypolicies'], operations: WRITE }],
    {
      variables: [{ name: 'tenantId', expression: nsTenant }],
      validations: [
        {
          expression: `object.spec.all(k, k in ['targetRefs', 'jwt', 'authorization'])`,
          message: '[TENANT-SECURITY-POLICY-FIELDS] a tenant SecurityPolicy holds only targetRefs, jwt and authorization',
        },
        {
          expression: `has(object.spec.targetRefs) && size(object.spec.targetRefs) == 1 && object.spec.targetRefs.all(t, t.group == 'gateway.networking.k8s.io' && t.kind == 'HTTPRoute' && t.name == ${q(TENANT_ROUTE_NAME)})`,
          message: `[TENANT-SECURITY-POLICY-TARGET] a tenant SecurityPolicy targets the tenant's own HTTPRoute only`,
        },
        {
          expression: `has(object.spec.jwt) && object.spec.jwt.providers.all(p, p.issuer == ${q(issuer)} && has(p.remoteJWKS) && p.remoteJWKS.uri == ${q(jwksUri)} && has(p.audiences) && p.audiences == [${q(audience)}])`,
          message: '[TENANT-SECURITY-POLICY-ISSUER] a tenant SecurityPolicy verifies tokens of the platform user pool and app client only',
        },
        {
          expression: allOf(
            'has(object.spec.authorization)',
            `object.spec.authorization.defaultAction == 'Deny'`,
            `object.spec.authorization.rules.all(r, r.action != 'Allow' || (has(r.principal) && has(r.principal.jwt) && r.principal.jwt.claims.exists(c, c.name == ${q(TENANT_ID_CLAIM)} && c.values == [variables.tenantId]) && r.principal.jwt.claims.exists(c, c.name == 'token_use' && c.values == ['id'])))`,
          ),
          messageExpression: `'[TENANT-SECURITY-POLICY-TENANT-CLAIM] a tenant SecurityPolicy denies by default and allows only ID tokens whose ${TENANT_ID_CLAIM} is ' + variables.tenantId`,
        },
      ],
    },
  );

  const networkPolicies = policy(
    'network-policies',
    [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['networkpolicies'], operations: WRITE }],
    {
      validations: [
        {
          expression: absentOr('object.spec', 'ingress', `object.spec.ingress.all(r, r in ${celLiteral(settings.networkRules.ingress)})`),
          message: '[TENANT-NETWORK] a tenant NetworkPolicy admits ingress only from the edge data plane, on the gateway port',
        },
        {
          expression: absentOr('object.spec', 'egress', `object.spec.egress.all(r, r in ${celLiteral(settings.networkRules.egress)})`),
          message:
            '[TENANT-NETWORK] a tenant NetworkPolicy allows only the platform egress rules (cluster DNS, the Pod Identity agent, VPC endpoints, HTTPS outside the VPC and the Service range)',
        },
      ],
    },
  );

  // Quantities reach CEL as strings or integers depending on how they were written; string() compares both.
  const quotas = policy('quotas', [{ apiGroups: [''], apiVersions: ['v1'], resources: ['resourcequotas'], operations: WRITE }], {
    validations: [
      {
        expression: `has(object.spec.hard) && !has(object.spec.scopes) && !has(object.spec.scopeSelector) && ${celLiteral(settings.quotaHardSpecs)}.exists(t, size(t) == size(object.spec.hard) && object.spec.hard.all(k, k in t && string(object.spec.hard[k]) == t[k]))`,
        message: `[TENANT-QUOTA] a tenant ResourceQuota is exactly that of one of the tiers (${TENANT_TIERS.join(', ')})`,
      },
    ],
  });

  const rbac = policy(
    'no-rbac',
    [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], resources: ['roles', 'rolebindings'], operations: WRITE }],
    {
      validations: [{ expression: 'false', message: '[TENANT-NO-RBAC] no Role or RoleBinding may be created in a tenant namespace' }],
    },
  );

  // The query names the tenant's namespace (its route's Envoy cluster); it must be exactly the one of the namespace it is in.
  const namespaceMark = `${TENANT_NAMESPACE_PREFIX}${TEMPLATE_TENANT_ID}`;
  const queryTemplate = tenantActivityQuery(tenantNames(TEMPLATE_TENANT_ID));
  const expectedQuery = queryTemplate
    .split(namespaceMark)
    .map((part) => q(part))
    .join(' + request.namespace + ');
  const scalers = policy('scalers', [{ apiGroups: ['keda.sh'], apiVersions: ['*'], resources: ['scaledobjects'], operations: WRITE }], {
    validations: [
      {
        expression: `object.spec.all(k, k in ${list(SCALER_FIELDS)})`,
        message: `[TENANT-SCALER-FIELDS] a tenant ScaledObject holds only ${SCALER_FIELDS.join(', ')}`,
      },
      {
        expression: allOf(
          `object.spec.scaleTargetRef.name == ${q(TENANT_DEPLOYMENT_NAME)}`,
          `!has(object.spec.scaleTargetRef.kind) || object.spec.scaleTargetRef.kind == 'Deployment'`,
          `!has(object.spec.scaleTargetRef.apiVersion) || object.spec.scaleTargetRef.apiVersion == 'apps/v1'`,
        ),
        message: `[TENANT-SCALER-TARGET] a tenant ScaledObject scales the tenant's own Deployment ${TENANT_DEPLOYMENT_NAME} only`,
      },
      {
        expression: allOf(
          'has(object.spec.maxReplicaCount) && object.spec.maxReplicaCount == 1',
          absentOr('object.spec', 'minReplicaCount', 'object.spec.minReplicaCount in [0, 1]'),
          absentOr(
            'object.spec',
            'pollingInterval',
            `object.spec.pollingInterval >= ${SCALER_POLLING_MIN_SECONDS} && object.spec.pollingInterval <= ${SCALER_POLLING_MAX_SECONDS}`,
          ),
        ),
        message: `[TENANT-SCALER-REPLICAS] a tenant ScaledObject keeps 0 or 1 gateway and polls every ${SCALER_POLLING_MIN_SECONDS}-${SCALER_POLLING_MAX_SECONDS} s`,
      },
      {
        expression: allOf(
          'size(object.spec.triggers) == 1',
          `object.spec.triggers.all(t, t.type == 'prometheus' && !has(t.authenticationRef) && t.metadata.all(k, k in ${list(SCALER_TRIGGER_KEYS)}) && 'serverAddress' in t.metadata && t.metadata.serverAddress == ${q(IDLE_METRICS_SERVER_URL)} && 'query' in t.metadata && t.metadata.query == ${expectedQuery})`,
        ),
        message: `[TENANT-SCALER-TRIGGER] a tenant ScaledObject has one trigger: the platform Prometheus (${IDLE_METRICS_SERVER_URL}) with the tenant route's activity query, no authentication reference`,
      },
    ],
  });

  const policies = [applicationScope, namespaces, workloads, services, routes, securityPolicies, networkPolicies, quotas, rbac, scalers];
  const namespaced = new Set(
    [workloads, services, routes, securityPolicies, networkPolicies, quotas, rbac, scalers].map((p) => p.metadata.name),
  );
  const bindings = policies.map<ValidatingAdmissionPolicyBindingObject>((p) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: p.metadata.name, labels: LABELS },
    spec: {
      policyName: p.metadata.name,
      validationActions: ['Deny'],
      ...(namespaced.has(p.metadata.name) ? { matchResources: { namespaceSelector: TENANT_NAMESPACE_SELECTOR } } : {}),
    },
  }));
  return { policies, bindings };
}
