import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';
import { acknowledge } from '../compliance';
import { EksAddonVersions } from '../versions';
import { ContainerInsightsAgentPolicy } from './container-insights-agent-policy';
import { PodIdentityRole } from './pod-identity-role';

export interface ClusterAddonsProps {
  readonly cluster: eks.ICluster;
  /** The cluster's name, which Container Insights puts in its log group names. */
  readonly clusterName: string;
  /**
   * Retention of the Container Insights log groups, which hold every tenant
   * container's output (prompts included).
   */
  readonly containerLogRetention: logs.RetentionDays;
  /** Pinned add-on versions for the cluster's Kubernetes version. */
  readonly versions: EksAddonVersions;
}

/** The log groups the CloudWatch observability add-on writes (it would create them without a retention). */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ['application', 'dataplane', 'host', 'performance'] as const;

/** Service accounts the add-ons run under; their Pod Identity associations are created by EKS. */
export const ADDON_SERVICE_ACCOUNTS = {
  efsCsiController: 'efs-csi-controller-sa',
  efsCsiNode: 'efs-csi-node-sa',
  cloudWatchAgent: 'cloudwatch-agent',
  vpcCni: 'aws-node',
} as const;

/** The Pod Identity role of a kube-system add-on that uses an AWS-managed policy. */
interface AddonRoleWithManagedPolicy {
  readonly description: string;
  /** The add-on's service account in kube-system, the only one the role trusts. */
  readonly serviceAccount: string;
  /** Name of the AWS-managed policy, with its path (`service-role/…`). */
  readonly managedPolicyName: string;
  /** Why the managed policy is acceptable (the cdk-nag IAM4 acknowledgement). */
  readonly reason: string;
}

/**
 * EKS managed add-ons at pinned versions. VPC CNI enforces NetworkPolicy and
 * hands out /28 prefixes (so a node holds far more pods than its ENI IP
 * count); the EFS CSI driver and the CloudWatch observability agent (Container
 * Insights) get AWS credentials through Pod Identity, never the node role.
 */
export class ClusterAddons extends Construct {
  readonly vpcCni: eks.CfnAddon;
  readonly kubeProxy: eks.CfnAddon;
  readonly podIdentityAgent: eks.CfnAddon;
  readonly coreDns: eks.CfnAddon;
  readonly efsCsiDriver: eks.CfnAddon;
  readonly cloudWatchObservability: eks.CfnAddon;
  /** The identity Fluent Bit and the CloudWatch agent write the Container Insights log groups with. */
  readonly cloudWatchAgentRole: iam.IRole;
  /** The Container Insights log groups, created here with their retention (`application` holds tenant output). */
  readonly containerLogGroups: Readonly<Record<(typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number], logs.LogGroup>>;
  /**
   * The identity the EFS CSI node driver mounts with (`iam` mount option): the
   * file system policy grants mounts to this role only, and only through an
   * access point.
   */
  readonly efsCsiNodeRole: iam.IRole;
  /** Nodes join only after these exist (without VPC CNI a node never becomes Ready). */
  readonly nodePrerequisites: readonly IDependable[];

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    const { cluster, versions } = props;
    const addon = (addonId: string, addonName: string, addonVersion: string, extra: Partial<eks.CfnAddonProps> = {}) =>
      new eks.CfnAddon(this, addonId, {
        clusterName: cluster.clusterName,
        addonName,
        addonVersion,
        // The add-on owns its fields; a hand edit in the cluster is reverted on the next deploy.
        resolveConflicts: 'OVERWRITE',
        ...extra,
      });

    // A kube-system add-on whose AWS permissions are the AWS-managed policy that tracks the add-on's versions.
    const roleWithManagedPolicy = (roleId: string, role: AddonRoleWithManagedPolicy) => {
      const podIdentityRole = new PodIdentityRole(this, roleId, {
        cluster,
        description: role.description,
        trustedServiceAccount: { namespace: 'kube-system', name: role.serviceAccount },
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(role.managedPolicyName)],
      });
      acknowledge(
        podIdentityRole,
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${role.managedPolicyName}]`,
        role.reason,
      );
      return podIdentityRole;
    };

    // The CNI's AWS permissions (ENI and address management) go to its own pods through Pod Identity, not to
    // the node role, so a process on a node that reaches the node role cannot re-plumb the VPC.
    const cniRole = roleWithManagedPolicy('VpcCniRole', {
      description: 'Amazon VPC CNI (aws-node): ENI and IP address management',
      serviceAccount: ADDON_SERVICE_ACCOUNTS.vpcCni,
      managedPolicyName: 'AmazonEKS_CNI_Policy',
      reason:
        'The VPC CNI needs the AWS-maintained AmazonEKS_CNI_Policy (ENI and IP address management), which tracks the plugin; it reaches only the aws-node pods through Pod Identity.',
    });
    this.vpcCni = addon('VpcCni', 'vpc-cni', versions.vpcCni, {
      podIdentityAssociations: [{ roleArn: cniRole.role.roleArn, serviceAccount: ADDON_SERVICE_ACCOUNTS.vpcCni }],
      configurationValues: JSON.stringify({
        enableNetworkPolicy: 'true',
        env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
      }),
    });
    this.kubeProxy = addon('KubeProxy', 'kube-proxy', versions.kubeProxy);
    this.podIdentityAgent = addon('PodIdentityAgent', 'eks-pod-identity-agent', versions.podIdentityAgent);
    this.coreDns = addon('CoreDns', 'coredns', versions.coreDns);

    const efsRole = roleWithManagedPolicy('EfsCsiRole', {
      description: 'EFS CSI driver controller: creates and deletes the per-tenant access points',
      serviceAccount: ADDON_SERVICE_ACCOUNTS.efsCsiController,
      managedPolicyName: 'service-role/AmazonEFSCSIDriverPolicy',
      reason:
        'The AWS-maintained EFS CSI policy limits access-point creation and deletion to resources tagged by the driver (efs.csi.aws.com/cluster); it tracks the driver version.',
    });
    // No identity policy: the file system policy names this role (see TenantFileSystem).
    // The managed add-on accepts a Pod Identity association for its controller only
    // (kubernetes-sigs/aws-efs-csi-driver#1759), so the node's is a standalone
    // association, created before the add-on starts the node pods.
    const efsNodeRole = new PodIdentityRole(this, 'EfsCsiNodeRole', {
      cluster,
      description: 'EFS CSI node driver: mounts tenant access points with IAM authorization',
      serviceAccount: { namespace: 'kube-system', name: ADDON_SERVICE_ACCOUNTS.efsCsiNode },
    });
    this.efsCsiNodeRole = efsNodeRole.role;
    this.efsCsiDriver = addon('EfsCsiDriver', 'aws-efs-csi-driver', versions.efsCsiDriver, {
      podIdentityAssociations: [{ roleArn: efsRole.role.roleArn, serviceAccount: ADDON_SERVICE_ACCOUNTS.efsCsiController }],
    });
    this.efsCsiDriver.node.addDependency(efsNodeRole);

    const cloudWatchRole = new PodIdentityRole(this, 'CloudWatchAgentRole', {
      cluster,
      description: 'CloudWatch agent of Container Insights: publishes container metrics and logs',
      trustedServiceAccount: { namespace: 'amazon-cloudwatch', name: ADDON_SERVICE_ACCOUNTS.cloudWatchAgent },
      managedPolicies: [new ContainerInsightsAgentPolicy(this, 'CloudWatchAgentPolicy', { clusterName: props.clusterName }).policy],
    });
    this.cloudWatchAgentRole = cloudWatchRole.role;
    this.cloudWatchObservability = addon('CloudWatchObservability', 'amazon-cloudwatch-observability', versions.cloudWatchObservability, {
      podIdentityAssociations: [{ roleArn: cloudWatchRole.role.roleArn, serviceAccount: ADDON_SERVICE_ACCOUNTS.cloudWatchAgent }],
    });
    const containerLogGroups = {} as Record<(typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number], logs.LogGroup>;
    for (const group of CONTAINER_INSIGHTS_LOG_GROUPS) {
      const logGroup = new logs.LogGroup(this, `ContainerInsights-${group}`, {
        logGroupName: `/aws/containerinsights/${props.clusterName}/${group}`,
        retention: props.containerLogRetention,
      });
      this.cloudWatchObservability.node.addDependency(logGroup);
      containerLogGroups[group] = logGroup;
    }
    this.containerLogGroups = containerLogGroups;

    this.nodePrerequisites = [this.vpcCni, this.kubeProxy, this.podIdentityAgent];
  }

  /** Add-ons that run Deployments wait for nodes; otherwise EKS reports them degraded and CloudFormation fails. */
  waitForNodes(nodes: IDependable): void {
    for (const a of [this.coreDns, this.efsCsiDriver, this.cloudWatchObservability]) a.node.addDependency(nodes);
  }
}
