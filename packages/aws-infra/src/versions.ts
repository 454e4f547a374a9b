/**
 * Every version the platform installs into the cluster, in one place. Nothing
 * floats: a version that is not written here is not deployed.
 *
 * How to refresh (needs AWS credentials and network, so it is a manual step):
 * - EKS add-ons: `aws eks describe-addon-versions --kubernetes-version <v>
 *   --addon-name <name> --query 'addons[].addonVersions[].addonVersion'` and
 *   take the newest version marked compatible with each Kubernetes version.
 * - Helm charts: `helm search repo <repo>/<chart> --versions` (or `helm show
 *   chart oci://…`) and read the chart's appVersion; Envoy Gateway must stay on
 *   the release whose CRDs are vendored in `packages/tenant-manifests/crds` (v1.9.0).
 * - gVisor: the dated release directories under
 *   https://storage.googleapis.com/gvisor/releases/release/.
 * Then run this package's tests: they check the format of every pin and that
 * each Kubernetes version supported here has a full set.
 *
 * Written offline: the pins below were chosen from release notes and public
 * manifests available at the time, not read back from a live EKS API. The
 * first `cdk deploy` fails loudly (CloudFormation rejects an unknown add-on
 * version) rather than installing something else.
 */

import { OPENCLAW_VERSION } from '@openclaw-tenancy/openclaw-runtime';
import { KubernetesVersion, SUPPORTED_KUBERNETES_VERSIONS } from '@openclaw-tenancy/shared';

/** Minor version of kubectl/helm inside `@aws-cdk/lambda-layer-kubectl-v34`. */
export const KUBECTL_LAYER_KUBERNETES_VERSION = '1.34';

export interface EksAddonVersions {
  readonly vpcCni: string;
  readonly coreDns: string;
  readonly kubeProxy: string;
  readonly podIdentityAgent: string;
  readonly efsCsiDriver: string;
  readonly cloudWatchObservability: string;
}

// Add-ons whose builds are published for every supported Kubernetes version.
const VERSION_INDEPENDENT_ADDONS = {
  vpcCni: 'v1.20.4-eksbuild.1',
  podIdentityAgent: 'v1.3.8-eksbuild.2',
  efsCsiDriver: 'v2.1.11-eksbuild.1',
  cloudWatchObservability: 'v4.4.0-eksbuild.1',
} as const;

/** CoreDNS and kube-proxy builds are specific to a Kubernetes minor version. */
export const EKS_ADDON_VERSIONS: Readonly<Record<KubernetesVersion, EksAddonVersions>> = {
  '1.33': { ...VERSION_INDEPENDENT_ADDONS, coreDns: 'v1.12.1-eksbuild.2', kubeProxy: 'v1.33.3-eksbuild.4' },
  '1.34': { ...VERSION_INDEPENDENT_ADDONS, coreDns: 'v1.12.3-eksbuild.1', kubeProxy: 'v1.34.0-eksbuild.2' },
  '1.35': { ...VERSION_INDEPENDENT_ADDONS, coreDns: 'v1.13.1-eksbuild.1', kubeProxy: 'v1.35.0-eksbuild.1' },
};

export interface HelmChartVersion {
  /** `https://` chart repository, or the full `oci://` reference of the chart. */
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

export const HELM_CHARTS = {
  /**
   * Installs Argo CD v3.4.3 (the chart's appVersion). The Argo CD CRDs vendored in
   * `packages/tenant-manifests/crds` are v3.5.0: synthesized manifests must use only fields
   * v3.4 also has (v3.5 adds e.g. AppProject `sourceIntegrity`, `syncWindows[].syncOverrun`).
   */
  argoCd: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '9.5.17' },
  /**
   * Envoy Gateway v1.9.0, the release of the CRDs vendored in `packages/tenant-manifests/crds`; at
   * least {@link ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE}. The chart is published under the release
   * tag (`v1.9.0`) and without the `v`; the tag form is the one pinned here.
   */
  envoyGateway: { repository: 'oci://docker.io/envoyproxy/gateway-helm', chart: 'gateway-helm', version: 'v1.9.0' },
  /**
   * AWS Load Balancer Controller v3.5.0 (the chart's appVersion), used only for the edge
   * TargetGroupBinding. Its publisher states a floor only ("v2.5.0+ requires Kubernetes 1.22+",
   * docs/deploy/installation.md at v3.5.0; the chart sets no kubeVersion) and lists no tested
   * Kubernetes versions, so it has no entry in {@link PUBLISHED_KUBERNETES_SUPPORT}.
   */
  awsLoadBalancerController: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' },
  clusterAutoscaler: { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.52.1' },
  /**
   * KEDA core: scales each tenant's gateway between 0 and 1 with the ScaledObject of its folder, on the
   * edge's per-route metrics (docs/adr/0700). Its HTTP add-on is not installed: its interceptor does not
   * carry the Control UI's WebSocket.
   */
  keda: { repository: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.20.1' },
  /**
   * The Prometheus server alone (the chart's Alertmanager, exporters and push gateway off), scraping the
   * edge's Envoy proxies for KEDA's triggers. The chart states a floor only (kubeVersion ">=1.19.0-0")
   * and lists no tested Kubernetes versions, so it has no entry in {@link PUBLISHED_KUBERNETES_SUPPORT}.
   */
  prometheus: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'prometheus', version: '27.45.0' },
} as const satisfies Readonly<Record<string, HelmChartVersion>>;

/** Cluster Autoscaler's image must match the Kubernetes minor version it scales. */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<KubernetesVersion, string>> = {
  '1.33': 'v1.33.0',
  '1.34': 'v1.34.0',
  '1.35': 'v1.35.0',
};

/**
 * External Secrets Operator chart (chart version = app version), which copies
 * the Git credential from Secrets Manager into Argo CD's repository Secret.
 * ESO tests each release against the Kubernetes versions its "Stability and
 * Support" table lists (https://external-secrets.io/latest/introduction/stability-support/):
 * 0.19.x → 1.33; 2.6 → 1.34-1.35. Both serve the `external-secrets.io/v1` API used here.
 */
export const EXTERNAL_SECRETS_CHART = { repository: 'https://charts.external-secrets.io', chart: 'external-secrets' } as const;
export const EXTERNAL_SECRETS_CHART_VERSIONS: Readonly<Record<KubernetesVersion, string>> = {
  '1.33': '0.19.2',
  '1.34': '2.6.0',
  '1.35': '2.6.0',
};

/**
 * The first Envoy Gateway release that shares identical JWT providers between
 * routes; the pinned release must not be older. Before it the translator keys
 * each provider and requirement of the listener's `jwt_authn` filter by route
 * (internal/xds/translator/jwt.go at v1.8.0: `providerKey := route.Name/provider.Name`,
 * `RequirementMap[route.Name]`), so every tenant route added or removed rewrites
 * the shared listener and Envoy drains the connections of the replaced filter
 * chain. From v1.9.0 they are named by the provider's name plus a hash of their
 * content (jwt.go at v1.9.0: `jwtProviderName`, `jwtRequirementName`), so the
 * identical tenant providers are one entry and a tenant change touches routes
 * only (docs/adr/0123).
 */
export const ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE = 'v1.9.0';

/** True when an Envoy Gateway release rewrites the listener for every route with its own JWT provider. */
export function envoyGatewayRewritesListenerPerRoute(version: string): boolean {
  const parse = (v: string) => (/^v?(\d+)\.(\d+)\.(\d+)$/.exec(v) ?? []).slice(1).map(Number);
  const [major = 0, minor = 0] = parse(version);
  const [sinceMajor = 0, sinceMinor = 0] = parse(ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE);
  return major < sinceMajor || (major === sinceMajor && minor < sinceMinor);
}

/**
 * The Amazon Bedrock provider plugin baked into the tenant image
 * (`images/openclaw-tenant`). OpenClaw publishes its first-party plugins with
 * the release they belong to, so the plugin follows the pinned OpenClaw
 * version (packages/openclaw-runtime); the image build fails if npm has no
 * such version.
 */
export const BEDROCK_PROVIDER_PLUGIN = { package: '@openclaw/amazon-bedrock-provider', version: OPENCLAW_VERSION } as const;

/** The Kubernetes minor versions a publisher tests one release of its chart against, and where it says so. */
export interface PublishedKubernetesSupport {
  readonly chart: string;
  readonly version: string;
  readonly kubernetes: readonly string[];
  readonly source: string;
}

/**
 * Publishers' own compatibility statements for the pins above, checked by the
 * tests for every Kubernetes version in {@link SUPPORTED_KUBERNETES_VERSIONS}.
 * A pin absent here has no machine-checked statement yet (aws-infra README, known gaps).
 */
export const PUBLISHED_KUBERNETES_SUPPORT: readonly PublishedKubernetesSupport[] = [
  {
    chart: 'gateway-helm',
    version: 'v1.9.0',
    kubernetes: ['1.33', '1.34', '1.35', '1.36'],
    source:
      'https://gateway.envoyproxy.io/news/releases/matrix/ (Compatibility Matrix: v1.9 → Kubernetes v1.33, v1.34, v1.35, v1.36; site/content/en/news/releases/matrix.md at tag v1.9.0)',
  },
  {
    chart: 'argo-cd',
    version: '9.5.17',
    kubernetes: ['1.32', '1.33', '1.34', '1.35'],
    source:
      'https://github.com/argoproj/argo-cd/blob/v3.4.3/docs/operator-manual/tested-kubernetes-versions.md (Tested versions: Argo CD 3.4 → Kubernetes v1.35, v1.34, v1.33, v1.32; argo-helm charts/argo-cd/Chart.yaml at tag argo-cd-9.5.17: appVersion v3.4.3, kubeVersion ">=1.25.0-0")',
  },
  {
    chart: 'keda',
    version: HELM_CHARTS.keda.version,
    kubernetes: ['1.33', '1.34', '1.35'],
    source: 'https://keda.sh/docs/2.20/operate/cluster/ (Kubernetes Compatibility: v2.20 → v1.33 - v1.35)',
  },
  {
    chart: 'external-secrets',
    version: '0.19.2',
    kubernetes: ['1.33'],
    source: 'https://external-secrets.io/latest/introduction/stability-support/ (0.19.x → 1.33)',
  },
  {
    chart: 'external-secrets',
    version: '2.6.0',
    kubernetes: ['1.34', '1.35'],
    source: 'https://external-secrets.io/latest/introduction/stability-support/ (2.6 → 1.34-1.35)',
  },
  ...SUPPORTED_KUBERNETES_VERSIONS.map((k) => ({
    chart: 'cluster-autoscaler image',
    version: CLUSTER_AUTOSCALER_IMAGE_TAGS[k],
    kubernetes: [k],
    source:
      'https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases (a release supports the Kubernetes minor version it is named after)',
  })),
];

/** gVisor release installed on the sandboxed node group. */
export const GVISOR_RELEASE = '20260706';

/** The pins installed on a cluster of `kubernetesVersion` and the publisher statement each must appear in. */
export function pinsFor(kubernetesVersion: KubernetesVersion): ReadonlyArray<{ readonly chart: string; readonly version: string }> {
  return [
    { chart: HELM_CHARTS.argoCd.chart, version: HELM_CHARTS.argoCd.version },
    { chart: HELM_CHARTS.envoyGateway.chart, version: HELM_CHARTS.envoyGateway.version },
    { chart: HELM_CHARTS.keda.chart, version: HELM_CHARTS.keda.version },
    { chart: 'external-secrets', version: EXTERNAL_SECRETS_CHART_VERSIONS[kubernetesVersion] },
    { chart: 'cluster-autoscaler image', version: CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetesVersion] },
  ];
}

/**
 * Pins whose publisher does not list `kubernetesVersion` as tested, each with
 * the source to read; empty when every checked pin is published as compatible.
 */
export function publishedSupportProblems(
  kubernetesVersion: KubernetesVersion,
  statements: readonly PublishedKubernetesSupport[] = PUBLISHED_KUBERNETES_SUPPORT,
): string[] {
  return pinsFor(kubernetesVersion).flatMap((pin) => {
    const statement = statements.find((s) => s.chart === pin.chart && s.version === pin.version);
    if (!statement) return [`${pin.chart} ${pin.version} has no published compatibility statement in versions.ts`];
    return statement.kubernetes.includes(kubernetesVersion)
      ? []
      : [
          `${pin.chart} ${pin.version} is tested on Kubernetes ${statement.kubernetes.join(', ')}, not ${kubernetesVersion} (${statement.source})`,
        ];
  });
}
