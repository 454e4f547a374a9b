import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import { PLATFORM_NAMES } from '@openclaw-tenancy/shared';
import { FileSystemBackup } from '../src';
import { SynthesizedPlatform, flattenJoin, resourcesOf, synthesizePlatform } from './support/platform';

describe('data stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.data);
  });

  const fileSystem = () => resourcesOf(template, 'AWS::EFS::FileSystem')[0]![1];

  test('the file system is encrypted with its own rotating CMK, elastic throughput, retained on stack deletion', () => {
    const [keyId, key] = resourcesOf(template, 'AWS::KMS::Key').find(([, k]) => /workspace file system/.test(k.Properties.Description))!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(fileSystem()).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        Encrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        ThroughputMode: 'elastic',
        PerformanceMode: 'generalPurpose',
      },
    });
  });

  test('has a mount target in each private subnet, behind its own security group', () => {
    template.resourceCountIs('AWS::EFS::MountTarget', 2);
    const [sgId] = resourcesOf(template, 'AWS::EC2::SecurityGroup').find(([, sg]) =>
      /EFS mount targets/.test(sg.Properties.GroupDescription),
    )!;
    for (const [, mt] of resourcesOf(template, 'AWS::EFS::MountTarget'))
      expect(mt.Properties.SecurityGroups).toEqual([{ 'Fn::GetAtt': [sgId, 'GroupId'] }]);
  });

  test('accepts NFS only, and only from the cluster security group', () => {
    const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 2049,
        ToPort: 2049,
        SourceSecurityGroupId: {
          'Fn::GetStackOutput': expect.objectContaining({
            StackName: 'openclaw-cluster',
            OutputName: expect.stringMatching(/ClusterSecurityGroupId/),
          }),
        },
      }),
    ]);
  });

  test('the file system policy denies unencrypted transport and lets only the CSI node role mount, through mount targets and access points', () => {
    const statements = fileSystem().Properties.FileSystemPolicy.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: '*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allows = statements.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(allow.Principal).toEqual({
      AWS: {
        'Fn::GetStackOutput': expect.objectContaining({
          StackName: 'openclaw-cluster',
          OutputName: expect.stringMatching(/EfsCsiNodeRole/),
        }),
      },
    });
    expect([...allow.Action].sort()).toEqual(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']);
    expect(allow.Condition.Bool).toEqual({ 'elasticfilesystem:AccessedViaMountTarget': 'true' });
    expect(flattenJoin(allow.Condition.StringLike['elasticfilesystem:AccessPointArn'])).toBe(
      'arn:aws:elasticfilesystem:eu-west-1:111111111111:access-point/*',
    );
  });

  test('the StorageClass provisions one access point per claim under /tenants, rooted at the tenant namespace', () => {
    const [, resource] = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')[0]!;
    const [storageClass] = JSON.parse(flattenJoin(resource.Properties.Manifest));
    expect(storageClass).toMatchObject({
      kind: 'StorageClass',
      metadata: { name: PLATFORM_NAMES.storageClass },
      provisioner: 'efs.csi.aws.com',
      parameters: {
        provisioningMode: 'efs-ap',
        fileSystemId: '<token>',
        basePath: '/tenants',
        subPathPattern: '${.PVC.namespace}',
        ensureUniqueDirectory: 'false',
        gidRangeStart: '100000',
        gidRangeEnd: '199999',
        directoryPerms: '700',
      },
      mountOptions: ['tls', 'iam'],
      reclaimPolicy: 'Retain',
    });
  });

  test('AWS Backup keeps daily recovery points for backup.retentionDays in a CMK-encrypted vault', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'openclaw-tenant-data',
        BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 35 }, ScheduleExpression: 'cron(0 3 * * ? *)' })],
      },
    });
    const [backupKeyId] = resourcesOf(template, 'AWS::KMS::Key').find(([, k]) => /backup vault/.test(k.Properties.Description))!;
    template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: { 'Fn::GetAtt': [backupKeyId, 'Arn'] } });
  });

  test('the backup selection is the tenant file system', () => {
    const [fsId] = resourcesOf(template, 'AWS::EFS::FileSystem')[0]!;
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::Join': ['', [Match.stringLikeRegexp(':file-system/$'), { Ref: fsId }]] }] }),
    });
  });

  test('vault, plan and selection are retained when the stack is deleted; recovery points cannot be deleted early', () => {
    for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection']) {
      for (const [, r] of resourcesOf(template, type)) expect(r.DeletionPolicy).toBe('Retain');
    }
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: [Match.objectLike({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] })],
      },
      LockConfiguration: { MinRetentionDays: 35 },
    });
  });

  test('fails if the backup retention is not a positive number of days', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const fs = efs.FileSystem.fromFileSystemAttributes(stack, 'Fs', {
      fileSystemId: 'fs-12345678',
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-1'),
    });
    expect(() => new FileSystemBackup(stack, 'Backup', { fileSystem: fs, retentionDays: 0 })).toThrow(
      /retentionDays must be a whole number of days >= 1, got 0/,
    );
  });
});
