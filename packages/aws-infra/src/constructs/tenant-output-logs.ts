import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeGrant, nagResource } from '../compliance';
import { grantWithSid } from '../grants';

export interface TenantOutputLogsProps {
  /** The log group holding every container's stdout/stderr (the Container Insights `application` group). */
  readonly logGroup: logs.LogGroup;
  /** The only principal whose reads of the log group may be decrypted. */
  readonly breakGlassRoleArn: string;
  /**
   * Roles that write the log group (the Container Insights agent). CloudWatch
   * Logs may use the key with their credentials while ingesting (the AWS
   * managed policy for Logs API-key callers grants GenerateDataKey and Decrypt
   * through logs), so they may, through CloudWatch Logs and for this log group
   * only. They must hold no Logs read permission: reading takes both.
   * @default - none
   */
  readonly writers?: readonly iam.IRole[];
}

/**
 * Managed data identifiers the log group masks in stored events: credentials
 * a tenant's agent may echo, and personal data of the employee. A reader
 * without `logs:Unmask` sees `****` in their place.
 */
export const TENANT_OUTPUT_MASKED_IDENTIFIERS = [
  'AwsSecretKey',
  'OpenSshPrivateKey',
  'PgpPrivateKey',
  'PkcsPrivateKey',
  'PuttyPrivateKey',
  'EmailAddress',
  'CreditCardNumber',
  'IpAddress',
] as const;

/** Sid of the key policy statement that refuses decryption to everyone but the break-glass role. */
export const TENANT_OUTPUT_DECRYPT_DENY_SID = 'DenyDecryptExceptBreakGlass';

/**
 * Treats tenant container output (prompts, tool output) as tenant data: the
 * log group is encrypted with a key of its own that CloudWatch Logs may use
 * for this log group only, and whose decryption is denied to every principal
 * but the break-glass role (and the writers, which cannot read the log
 * group). CloudWatch Logs decrypts a read with the
 * reader's own credentials (kms:ViaService), so a principal with Logs read
 * access and no key access reads nothing. A data-protection policy masks
 * secrets and personal data in what the break-glass role does read. Erasure
 * at offboarding deletes a tenant's streams unread ({@link grantEraseStreams}).
 */
export class TenantOutputLogs extends Construct {
  readonly key: kms.Key;
  /** The log group's ARN from its literal name: the key policy, and grants in other stacks, name it without referencing it. */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: TenantOutputLogsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cfnLogGroup = props.logGroup.node.defaultChild as logs.CfnLogGroup;
    // The literal name: the key policy must not reference the log group, which references the key.
    const logGroupName = cfnLogGroup.logGroupName;
    if (!logGroupName || Token.isUnresolved(logGroupName))
      throw new Error(`log group ${props.logGroup.node.path} has no explicit name; the key policy must name it`);
    this.logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logGroupArn = this.logGroupArn;
    const logsService = `logs.${stack.region}.amazonaws.com`;

    this.key = new kms.Key(this, 'Key', {
      description: `Encryption of tenant container output (${logGroupName}); decryption by the break-glass role only`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisLogGroup',
        principals: [new iam.ServicePrincipal(logsService)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BreakGlassReadsThroughCloudWatchLogs',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': props.breakGlassRoleArn, 'kms:EncryptionContext:aws:logs:arn': logGroupArn },
          StringEquals: { 'kms:ViaService': logsService },
        },
      }),
    );
    if (props.writers?.length) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'WritersIngestThroughCloudWatchLogs',
          principals: props.writers.map((role) => new iam.ArnPrincipal(role.roleArn)),
          actions: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn }, StringEquals: { 'kms:ViaService': logsService } },
        }),
      );
    }
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: TENANT_OUTPUT_DECRYPT_DENY_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant'],
        resources: ['*'],
        // Service principals (CloudWatch Logs ingesting) carry no principal ARN; every IAM principal does.
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': [props.breakGlassRoleArn, ...(props.writers ?? []).map((role) => role.roleArn)] },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );

    cfnLogGroup.kmsKeyId = this.key.keyArn;
    cfnLogGroup.dataProtectionPolicy = tenantOutputDataProtectionPolicy(stack.partition);
  }

  /**
   * Lets `grantee` erase a tenant's container output: find its streams by name
   * (`DescribeLogStreams`) and delete them. Events stay unreadable: no Logs
   * read action and no use of the key.
   */
  grantEraseStreams(grantee: iam.IGrantable): iam.Grant {
    const streams = `${this.logGroupArn}:log-stream:*`;
    const grant = grantWithSid('EraseTenantContainerOutput', {
      grantee,
      actions: ['logs:DescribeLogStreams', 'logs:DeleteLogStream'],
      resourceArns: [this.logGroupArn, streams],
    });
    acknowledgeGrant(
      grantee,
      `AwsSolutions-IAM5[Resource::${nagResource(this, streams)}]`,
      "Container output streams are named per node, pod and container at runtime; erasure deletes those of one tenant's namespace, in the container output log group only.",
    );
    return grant;
  }
}

/** The CloudWatch Logs data-protection policy document of the tenant output log group. */
export function tenantOutputDataProtectionPolicy(partition: string): Record<string, unknown> {
  const identifiers = TENANT_OUTPUT_MASKED_IDENTIFIERS.map((name) => `arn:${partition}:dataprotection::aws:data-identifier/${name}`);
  return {
    Name: 'tenant-output',
    Description: 'Masks credentials and personal data in tenant container output',
    Version: '2021-06-01',
    Statement: [
      { Sid: 'audit', DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: {} } } },
      { Sid: 'mask', DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
    ],
  };
}
