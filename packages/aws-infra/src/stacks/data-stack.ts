import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PlatformConfig, tenantBackupPlanName } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { FileSystemBackup } from '../constructs/file-system-backup';
import { SUBNET_GROUPS, PlatformVpc } from '../constructs/platform-vpc';
import { TenantFileSystem } from '../constructs/tenant-file-system';

export interface DataStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly network: PlatformVpc;
  readonly cluster: eks.Cluster;
  /** The EFS CSI node driver's role (ClusterAddons.efsCsiNodeRole). */
  readonly efsMountRole: iam.IRole;
}

/** Layer 9: tenant workspaces on EFS (CMK, TLS only, nodes only, mounts by the CSI node driver's role through access points) and their daily backup. */
export class DataStack extends Stack {
  readonly tenantData: TenantFileSystem;
  readonly backup: FileSystemBackup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.tenantData = new TenantFileSystem(this, 'TenantData', {
      vpc: props.network.vpc,
      subnets: { subnetGroupName: SUBNET_GROUPS.private },
      clientSecurityGroup: props.cluster.clusterSecurityGroup,
      mountRole: props.efsMountRole,
      cluster: props.cluster,
    });
    this.backup = new FileSystemBackup(this, 'Backup', {
      fileSystem: this.tenantData.fileSystem,
      retentionDays: props.config.backup.retentionDays,
      backupPlanName: tenantBackupPlanName(props.config.platformName),
      copyToVault: props.config.backup.copyToVaultArn
        ? backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', props.config.backup.copyToVaultArn)
        : undefined,
    });
    new CfnOutput(this, 'TenantFileSystemId', { value: this.tenantData.fileSystem.fileSystemId });
  }
}
