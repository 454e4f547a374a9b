import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PLATFORM_NAMES } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';

export interface TenantFileSystemProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the mount targets (the node subnets). */
  readonly subnets: ec2.SubnetSelection;
  /** Only this security group (the nodes') may open NFS connections. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /** The only IAM principal that may mount (the EFS CSI node driver's Pod Identity role). */
  readonly mountRole: iam.IRole;
  /** The cluster that receives the StorageClass. */
  readonly cluster: eks.ICluster;
  /**
   * GIDs the EFS CSI driver hands out, one per access point (one per tenant).
   * @default - 100000-199999: room for far more tenants than the 10,000 access points a file system allows
   */
  readonly gidRange?: { readonly start: number; readonly end: number };
}

/** Directory under which every tenant's access point is rooted. */
export const TENANT_DATA_BASE_PATH = '/tenants';

/**
 * The shared file system holding every tenant's workspace. It is encrypted
 * with its own CMK, survives stack deletion, accepts only TLS connections,
 * only from the nodes, and only from one IAM principal mounting an access
 * point (never the file system root, never with root access): a pod that
 * reaches port 2049 with other credentials, or none, mounts nothing. That
 * one principal is the CSI node driver, a DaemonSet on every node, so it is
 * all-tenant access: root on any node can mount any tenant's directory
 * (docs/adr/0111; gVisor by default is what keeps tenants off the node). Access points are not created here: the EFS CSI driver
 * creates one per PersistentVolumeClaim through the StorageClass below, rooted
 * at the tenant namespace (derived from the never-reused tenant id), with a
 * GID of its own.
 */
export class TenantFileSystem extends Construct {
  readonly fileSystem: efs.FileSystem;
  readonly key: kms.Key;
  readonly storageClass: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: TenantFileSystemProps) {
    super(scope, id);
    const gidRange = props.gidRange ?? { start: 100000, end: 199999 };
    if (!Number.isInteger(gidRange.start) || !Number.isInteger(gidRange.end) || gidRange.start < 1000 || gidRange.end <= gidRange.start) {
      throw new Error(`gidRange ${gidRange.start}-${gidRange.end} is invalid; use whole numbers with 1000 <= start < end`);
    }

    this.key = new kms.Key(this, 'Key', {
      description: 'Encryption at rest of the tenant workspace file system',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'EFS mount targets: NFS from cluster nodes only',
      allowAllOutbound: false,
    });
    this.fileSystem = new efs.FileSystem(this, 'FileSystem', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroup,
      encrypted: true,
      kmsKey: this.key,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      throughputMode: efs.ThroughputMode.ELASTIC,
      lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
      // Backups come from the AWS Backup plan with the configured retention, not the default daily plan.
      enableAutomaticBackups: false,
      // CDK's "prevent anonymous access" statement would grant writes and root access to any IAM
      // principal; the policy below names the one client instead, which denies anonymous mounts too.
      allowAnonymousAccess: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fileSystem.connections.allowDefaultPortFrom(props.clientSecurityGroup, 'NFS from cluster nodes');
    this.fileSystem.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUnencryptedTransport',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['*'],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );

    this.fileSystem.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'MountAccessPointsFromTheCsiNodeDriver',
        effect: iam.Effect.ALLOW,
        principals: [new iam.ArnPrincipal(props.mountRole.roleArn)],
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        conditions: {
          Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
          StringLike: {
            'elasticfilesystem:AccessPointArn': Stack.of(this).formatArn({
              service: 'elasticfilesystem',
              resource: 'access-point',
              resourceName: '*',
            }),
          },
        },
      }),
    );

    this.storageClass = new eks.KubernetesManifest(this, 'StorageClass', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: PLATFORM_NAMES.storageClass },
          provisioner: 'efs.csi.aws.com',
          parameters: {
            provisioningMode: 'efs-ap',
            fileSystemId: this.fileSystem.fileSystemId,
            directoryPerms: '700',
            basePath: TENANT_DATA_BASE_PATH,
            // The namespace is openclaw-<tenant id> and ids are never reused, so neither is a directory.
            subPathPattern: '${.PVC.namespace}',
            ensureUniqueDirectory: 'false',
            gidRangeStart: String(gidRange.start),
            gidRangeEnd: String(gidRange.end),
          },
          // IAM authorization: the node driver's Pod Identity role is what the file system policy admits.
          mountOptions: ['tls', 'iam'],
          // Offboarding keeps the data for the retention window; purging is an explicit command.
          reclaimPolicy: 'Retain',
          volumeBindingMode: 'Immediate',
          allowVolumeExpansion: false,
        },
      ],
    });
  }
}
