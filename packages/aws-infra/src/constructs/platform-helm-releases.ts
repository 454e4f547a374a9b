import { Annotations, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GIT_PATHS, KubernetesVersion, PLATFORM_NAMES, SCALER_POLLING_SECONDS } from '@openclaw-tenancy/shared';
import { Construct, IDependable } from 'constructs';
import { acknowledge, nagResource } from '../compliance';
import {
  CLUSTER_AUTOSCALER_IMAGE_TAGS,
  ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE,
  HELM_CHARTS,
  HelmChartVersion,
  envoyGatewayRewritesListenerPerRoute,
  publishedSupportProblems,
} from '../versions';
import { GitOpsRepositoryCredential } from './gitops-repository-credential';
import { SYSTEM_POD_PLACEMENT } from './platform-node-groups';
import { PodIdentityRole } from './pod-identity-role';

export interface PlatformHelmReleasesProps {
  readonly cluster: eks.Cluster;
  /** The cluster's name as a plain string (IAM condition keys cannot contain tokens). */
  readonly clusterName: string;
  readonly kubernetesVersion: KubernetesVersion;
  readonly vpcId: string;
  /** Repository and branch Argo CD syncs `deploy/platform` from. */
  /** Where Argo CD reads `deploy/platform`: `platformRevision` when set, else `branch` (with a synth warning). */
  readonly gitops: { readonly repoUrl: string; readonly branch: string; readonly platformRevision?: string };
  /** Secrets Manager name of the `{"username","password"}` Argo CD reads the repository with. */
  readonly repositoryCredentialsSecretName: string;
  /**
   * Name of the edge target group the load balancer controller registers Envoy pods in.
   * Scoping by name (not by ARN) avoids a dependency from the cluster on the edge stack.
   */
  readonly edgeTargetGroupName: string;
  /** Charts are installed once these exist (running nodes for the controllers). */
  readonly prerequisites: readonly IDependable[];
}

/** Synth warning id for an Envoy Gateway release whose shared listener changes with every tenant. */
export const EDGE_LISTENER_REWRITTEN_PER_TENANT = 'openclaw:edge-listener-rewritten-per-tenant';

/**
 * Warns on `scope` when `envoyGatewayVersion` is older than
 * {@link ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE}: such a release puts each tenant's JWT
 * provider into the listener that carries every workspace connection (docs/adr/0123).
 */
export function warnIfEdgeListenerRewrittenPerTenant(scope: Construct, envoyGatewayVersion: string): void {
  if (!envoyGatewayRewritesListenerPerRoute(envoyGatewayVersion)) return;
  Annotations.of(scope).addWarningV2(
    EDGE_LISTENER_REWRITTEN_PER_TENANT,
    `Envoy Gateway ${envoyGatewayVersion} keys JWT providers by route: every tenant added or removed rewrites the shared listener, which drains every open workspace connection; move to ${ENVOY_GATEWAY_SHARED_JWT_PROVIDERS_SINCE} or later (docs/adr/0123).`,
  );
}

/** Namespaces and service accounts of the controllers installed here. */
export const CONTROLLERS = {
  loadBalancerController: { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' },
  clusterAutoscaler: { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' },
  argoCd: { namespace: PLATFORM_NAMES.argoCdNamespace },
  envoyGateway: { namespace: PLATFORM_NAMES.envoyGatewayNamespace },
  keda: { namespace: PLATFORM_NAMES.kedaNamespace },
  prometheus: { namespace: PLATFORM_NAMES.metricsNamespace },
} as const;

/** The port Envoy Gateway's proxies serve their statistics on (`/stats/prometheus`). */
export const ENVOY_STATS_PORT = 19001;

/** Prometheus' name for a Kubernetes pod label in service discovery. */
const podLabelMeta = (label: string): string => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9]/g, '_')}`;

/**
 * Prometheus' one scrape job: the edge Gateway's Envoy proxies, and of their
 * statistics only the three per-cluster counters tenants' ScaledObjects read
 * (`tenantActivityQuery`): about three series per tenant route and proxy.
 */
export const EDGE_ENVOY_SCRAPE_JOB = {
  job_name: 'edge-envoy',
  metrics_path: '/stats/prometheus',
  kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [PLATFORM_NAMES.envoyGatewayNamespace] } }],
  relabel_configs: [
    { source_labels: [podLabelMeta(PLATFORM_NAMES.envoyOwningGatewayNameLabel)], regex: PLATFORM_NAMES.gateway, action: 'keep' },
    { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(ENVOY_STATS_PORT), action: 'keep' },
  ],
  metric_relabel_configs: [
    { source_labels: ['__name__'], regex: 'envoy_cluster_(upstream_rq_active|upstream_rq_total|upstream_cx_none_healthy)', action: 'keep' },
    { source_labels: ['envoy_cluster_name'], regex: 'httproute/.*', action: 'keep' },
  ],
} as const;

/** Name of the Argo CD Application that syncs the platform objects from Git. */
export const PLATFORM_APPLICATION = 'openclaw-platform';

/**
 * The controllers the platform runs in the cluster, each at a pinned chart
 * version: AWS Load Balancer Controller (edge target group only), Cluster
 * Autoscaler, Envoy Gateway, KEDA and the Prometheus server its triggers
 * read, and Argo CD with one
 * Application that syncs `deploy/platform` from the GitOps repository.
 * Everything else in the cluster (tenants included) comes from Git.
 */
export class PlatformHelmReleases extends Construct {
  readonly charts: Readonly<Record<keyof typeof HELM_CHARTS, eks.HelmChart>>;
  readonly platformApplication: eks.KubernetesManifest;
  readonly repositoryCredential: GitOpsRepositoryCredential;

  constructor(scope: Construct, id: string, props: PlatformHelmReleasesProps) {
    super(scope, id);
    const { cluster } = props;
    const stack = Stack.of(this);
    const unsupported = publishedSupportProblems(props.kubernetesVersion);
    if (unsupported.length > 0) {
      throw new Error(
        `cluster.kubernetesVersion ${props.kubernetesVersion}: ${unsupported.join('; ')}; pin releases tested on it in packages/aws-infra/src/versions.ts`,
      );
    }

    const lbcRole = new PodIdentityRole(this, 'LoadBalancerControllerRole', {
      cluster,
      description: 'AWS Load Balancer Controller: registers Envoy pods in the edge target group (TargetGroupBinding only)',
      serviceAccount: { namespace: CONTROLLERS.loadBalancerController.namespace, name: CONTROLLERS.loadBalancerController.serviceAccount },
    });
    const edgeTargetGroupArns = stack.formatArn({
      service: 'elasticloadbalancing',
      resource: 'targetgroup',
      resourceName: `${props.edgeTargetGroupName}/*`,
    });
    lbcRole.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RegisterEdgeTargets',
        actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        resources: [edgeTargetGroupArns],
      }),
    );
    lbcRole.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeForTargetGroupBinding',
        actions: [
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeTags',
          'ec2:DescribeVpcs',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeInstances',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeAvailabilityZones',
        ],
        resources: ['*'],
      }),
    );
    acknowledge(
      lbcRole,
      'AwsSolutions-IAM5[Resource::*]',
      'Describe* calls of ELBv2 and EC2 do not support resource-level permissions; the only write actions (Register/DeregisterTargets) are limited to the edge target group.',
    );
    acknowledge(
      lbcRole,
      `AwsSolutions-IAM5[Resource::${nagResource(this, edgeTargetGroupArns)}]`,
      'The trailing wildcard is the random suffix ELBv2 appends to the edge target group ARN; the name is fixed.',
    );

    const caRole = new PodIdentityRole(this, 'ClusterAutoscalerRole', {
      cluster,
      description: 'Cluster Autoscaler: resizes the platform managed node groups',
      serviceAccount: { namespace: CONTROLLERS.clusterAutoscaler.namespace, name: CONTROLLERS.clusterAutoscaler.serviceAccount },
    });
    caRole.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ScaleOwnNodeGroups',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: ['*'],
        conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned' } },
      }),
    );
    caRole.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeCapacity',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        resources: ['*'],
      }),
    );
    acknowledge(
      caRole,
      'AwsSolutions-IAM5[Resource::*]',
      'Auto Scaling and EC2 Describe* have no resource-level permissions; SetDesiredCapacity/TerminateInstance are limited by the aws:ResourceTag condition to groups tagged as owned by this cluster (EKS tags its managed node groups so).',
    );

    const install = (chartId: string, version: HelmChartVersion, namespace: string, values: Record<string, unknown>, wait: boolean) => {
      const chart = cluster.addHelmChart(chartId, {
        repository: version.repository,
        chart: version.chart,
        version: version.version,
        release: version.chart,
        namespace,
        createNamespace: true,
        values,
        wait,
      });
      for (const prerequisite of props.prerequisites) chart.node.addDependency(prerequisite);
      return chart;
    };

    const awsLoadBalancerController = install(
      'AwsLoadBalancerController',
      HELM_CHARTS.awsLoadBalancerController,
      CONTROLLERS.loadBalancerController.namespace,
      {
        clusterName: props.clusterName,
        region: stack.region,
        vpcId: props.vpcId,
        replicaCount: 2,
        serviceAccount: { create: true, name: CONTROLLERS.loadBalancerController.serviceAccount },
        // Only TargetGroupBinding is used: no Ingress/Service load balancers, no WAF or Shield calls.
        createIngressClassResource: false,
        enableServiceMutatorWebhook: false,
        enableShield: false,
        enableWaf: false,
        enableWafv2: false,
        ...SYSTEM_POD_PLACEMENT,
      },
      // The TargetGroupBinding webhook must be serving before the binding is applied.
      true,
    );
    awsLoadBalancerController.node.addDependency(lbcRole);

    const clusterAutoscaler = install(
      'ClusterAutoscaler',
      HELM_CHARTS.clusterAutoscaler,
      CONTROLLERS.clusterAutoscaler.namespace,
      {
        cloudProvider: 'aws',
        awsRegion: stack.region,
        autoDiscovery: { clusterName: props.clusterName },
        image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAGS[props.kubernetesVersion] },
        rbac: { serviceAccount: { create: true, name: CONTROLLERS.clusterAutoscaler.serviceAccount } },
        extraArgs: { 'balance-similar-node-groups': true, expander: 'least-waste', 'skip-nodes-with-local-storage': false },
        ...SYSTEM_POD_PLACEMENT,
      },
      false,
    );
    clusterAutoscaler.node.addDependency(caRole);

    warnIfEdgeListenerRewrittenPerTenant(this, HELM_CHARTS.envoyGateway.version);
    const envoyGateway = install(
      'EnvoyGateway',
      HELM_CHARTS.envoyGateway,
      CONTROLLERS.envoyGateway.namespace,
      { deployment: { replicas: 2, pod: { ...SYSTEM_POD_PLACEMENT } } },
      true,
    );

    // Idle suspend (ADR 0700): KEDA scales each tenant's gateway on what Prometheus scrapes from the edge's proxies.
    const prometheus = install(
      'Prometheus',
      HELM_CHARTS.prometheus,
      CONTROLLERS.prometheus.namespace,
      {
        alertmanager: { enabled: false },
        'kube-state-metrics': { enabled: false },
        'prometheus-node-exporter': { enabled: false },
        'prometheus-pushgateway': { enabled: false },
        server: {
          // The Service KEDA's triggers query (IDLE_METRICS_SERVER_URL).
          fullnameOverride: PLATFORM_NAMES.metricsServerService,
          global: { scrape_interval: `${SCALER_POLLING_SECONDS}s`, evaluation_interval: '1m' },
          // Wake and idle decisions need the last minutes only.
          retention: '1h',
          persistentVolume: { enabled: false },
          ...SYSTEM_POD_PLACEMENT,
        },
        serverFiles: { 'prometheus.yml': { scrape_configs: [EDGE_ENVOY_SCRAPE_JOB] } },
      },
      true,
    );
    prometheus.node.addDependency(envoyGateway);
    const keda = install('Keda', HELM_CHARTS.keda, CONTROLLERS.keda.namespace, { ...SYSTEM_POD_PLACEMENT }, true);
    keda.node.addDependency(prometheus);

    const argoCd = install(
      'ArgoCd',
      HELM_CHARTS.argoCd,
      CONTROLLERS.argoCd.namespace,
      {
        global: { ...SYSTEM_POD_PLACEMENT },
        // No SSO is configured and nobody needs the UI from outside the cluster; port-forward for debugging.
        dex: { enabled: false },
        configs: { params: { 'server.insecure': false } },
      },
      true,
    );

    this.repositoryCredential = new GitOpsRepositoryCredential(this, 'RepositoryCredential', {
      cluster,
      kubernetesVersion: props.kubernetesVersion,
      repoUrl: props.gitops.repoUrl,
      credentialsSecretName: props.repositoryCredentialsSecretName,
      argoCdNamespace: CONTROLLERS.argoCd.namespace,
      prerequisites: props.prerequisites,
      secretPrerequisites: [argoCd],
    });

    // The one hand-made Application: everything else Argo CD manages (AppProject,
    // ApplicationSet of tenants, edge Gateway) is synthesized into deploy/platform.
    const platformRevision = props.gitops.platformRevision ?? props.gitops.branch;
    if (props.gitops.platformRevision === undefined) {
      Annotations.of(this).addWarningV2(
        'openclaw:platform-revision-follows-branch',
        `deploy/platform follows gitops.branch (${props.gitops.branch}), which the Lambdas' Git credential can push to; set gitops.platformRevision to a reviewed commit or protected tag (docs/adr/0005).`,
      );
    }
    this.platformApplication = cluster.addManifest('PlatformApplication', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: PLATFORM_APPLICATION, namespace: CONTROLLERS.argoCd.namespace },
      spec: {
        project: 'default',
        source: { repoURL: props.gitops.repoUrl, targetRevision: platformRevision, path: GIT_PATHS.platformDeployDir },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
      },
    });
    // The Gateway in deploy/platform needs Envoy Gateway's CRDs.
    // The repository Secret first, so the first sync can read the repository without a retry.
    this.platformApplication.node.addDependency(argoCd, envoyGateway, this.repositoryCredential.repositorySecret);

    // Tenant folders hold ScaledObjects: KEDA's CRDs come before the first sync.
    this.platformApplication.node.addDependency(keda);
    this.charts = { argoCd, envoyGateway, awsLoadBalancerController, clusterAutoscaler, keda, prometheus };
  }
}
