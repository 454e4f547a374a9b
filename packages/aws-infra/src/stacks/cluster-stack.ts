import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { ClusterAddons } from '../constructs/cluster-addons';
import { ClusterHealthAlarms } from '../constructs/cluster-health-alarms';
import { PlatformCluster } from '../constructs/platform-cluster';
import { PlatformHelmReleases } from '../constructs/platform-helm-releases';
import { PlatformNodeGroups } from '../constructs/platform-node-groups';
import { SUBNET_GROUPS, PlatformVpc } from '../constructs/platform-vpc';
import { TenantImage } from '../constructs/tenant-image';
import { TenantRole } from '../constructs/tenant-role';
import { retentionFor } from '../log-retention';
import { EKS_ADDON_VERSIONS } from '../versions';

export interface ClusterStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly network: PlatformVpc;
  readonly alertsTopic: sns.ITopic;
}

/** Name of the edge target group; fixed so the cluster can scope IAM to it without depending on the edge stack. */
export function edgeTargetGroupName(config: PlatformConfig): string {
  return `${config.platformName}-edge`.slice(0, 32);
}

/**
 * Layers 4-7 in AWS: the EKS cluster with its add-ons, node groups and
 * platform controllers, and the shared tenant role (Pod Identity + ABAC).
 * Pod Identity associations of tenants are created by the provisioner, not here.
 */
export class ClusterStack extends Stack {
  readonly platformCluster: PlatformCluster;
  readonly addons: ClusterAddons;
  readonly nodeGroups: PlatformNodeGroups;
  readonly helmReleases: PlatformHelmReleases;
  readonly tenantRole: TenantRole;
  readonly tenantImage: TenantImage;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const { config, network } = props;
    const privateSubnets = { subnetGroupName: SUBNET_GROUPS.private };

    this.platformCluster = new PlatformCluster(this, 'Cluster', {
      vpc: network.vpc,
      subnets: privateSubnets,
      clusterName: config.cluster.name,
      kubernetesVersion: config.cluster.kubernetesVersion,
      adminPrincipalArns: config.cluster.adminPrincipalArns,
      publicApiAccessCidrs: config.cluster.publicApiAccessCidrs,
      serviceIpv4Cidr: config.network.serviceIpv4Cidr,
      controlPlaneLogRetention: retentionFor(config.observability.auditLogRetentionDays),
    });
    const cluster = this.platformCluster.cluster;

    this.addons = new ClusterAddons(this, 'Addons', {
      cluster,
      clusterName: config.cluster.name,
      containerLogRetention: retentionFor(config.observability.logRetentionDays),
      versions: EKS_ADDON_VERSIONS[this.platformCluster.kubernetesVersion],
    });
    this.nodeGroups = new PlatformNodeGroups(this, 'NodeGroups', {
      cluster,
      subnets: privateSubnets,
      prerequisites: this.addons.nodePrerequisites,
      tenantCapacity: { maxTenants: config.signup.maxTenants, tier: config.tenantDefaults.tier, runtime: config.tenantDefaults.runtime },
      ...(config.security.gvisorSha512 ? { gvisorDigests: config.security.gvisorSha512 } : {}),
    });
    this.addons.waitForNodes(this.nodeGroups.ready);

    this.helmReleases = new PlatformHelmReleases(this, 'Controllers', {
      cluster,
      clusterName: config.cluster.name,
      kubernetesVersion: this.platformCluster.kubernetesVersion,
      vpcId: network.vpc.vpcId,
      gitops: config.gitops,
      repositoryCredentialsSecretName: config.gitops.argoCdCredentialsSecretName ?? config.gitops.credentialsSecretName,
      edgeTargetGroupName: edgeTargetGroupName(config),
      prerequisites: [this.nodeGroups.ready, this.addons.coreDns],
    });

    this.tenantRole = new TenantRole(this, 'TenantRole', {
      cluster,
      bedrockRegion: config.models.bedrockRegion,
      modelIds: config.models.catalog.map((m) => m.id),
    });

    new ClusterHealthAlarms(this, 'HealthAlarms', { clusterName: config.cluster.name, alarmTopic: props.alertsTopic });

    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'TenantRoleArn', { value: this.tenantRole.role.roleArn });

    this.tenantImage = new TenantImage(this, 'TenantImage');
    // Tenant manifests name the image from the platform config (image.repository / image.tag): copy this there.
    new CfnOutput(this, 'TenantImageUri', { value: this.tenantImage.imageUri });
  }
}
