import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { retentionFor } from '../log-retention';

export interface AuditTrailProps {
  /** Days trail files (and the CloudWatch copy) are kept. */
  readonly retentionDays: number;
  /**
   * Name of the trail.
   * @default 'openclaw-audit'
   */
  readonly trailName?: string;
  /**
   * Resources whose data events (each call on them) the trail records, besides Bedrock's.
   * @default - none
   */
  readonly dataEvents?: AuditDataEvents;
}

/** Resources whose every call the trail records: the platform's privileged and lifecycle paths. */
export interface AuditDataEvents {
  /** Lambda functions whose invocations are recorded (the kubectl provider with standing cluster-admin, the platform functions). */
  readonly functionArns: readonly string[];
  /** SQS queues whose sends and receives are recorded (the tenant job queues and their dead-letter queues). */
  readonly queueArns: readonly string[];
  /** DynamoDB tables whose item reads and writes are recorded (the tenant table). */
  readonly tableArns: readonly string[];
}

/**
 * Bedrock resource types whose API calls CloudTrail records only as data
 * events. InvokeModel/Converse (and their streaming forms) are management
 * events and are captured by the management selector; these add
 * bidirectional streaming and async invocations (AWS::Bedrock::Model,
 * AWS::Bedrock::AsyncInvoke) and guardrail evaluations.
 */
export const BEDROCK_DATA_EVENT_RESOURCE_TYPES = ['AWS::Bedrock::Model', 'AWS::Bedrock::AsyncInvoke', 'AWS::Bedrock::Guardrail'] as const;

/**
 * A multi-region CloudTrail trail of management events plus Bedrock data
 * events, into a versioned bucket encrypted with its own CMK, access-logged
 * to a separate bucket, with log file validation and a CloudWatch Logs copy.
 * The trail bucket has S3 Object Lock in compliance mode for the retention:
 * no principal, account root included, can delete or overwrite a trail file
 * before it expires. Reads and deletions of trail files are data events of
 * the trail itself (CloudTrail's own writes are not, which would loop).
 */
export class AuditTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `retentionDays must be a whole number of days >= 1, got ${props.retentionDays}; set observability.auditLogRetentionDays`,
      );
    }
    const stack = Stack.of(this);
    const trailName = props.trailName ?? 'openclaw-audit';
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    const expiry = Duration.days(props.retentionDays);

    this.key = new kms.Key(this, 'Key', {
      description: 'Encryption of the CloudTrail audit trail',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailEncrypt',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );

    // Server access logs cannot be delivered to a KMS-encrypted bucket; S3-managed keys here.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: expiry, noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'TrailBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'trail-bucket/',
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(expiry),
      lifecycleRules: [{ expiration: expiry, noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogsRetention: retentionFor(props.retentionDays),
    });
    // Confused-deputy protection: CloudTrail may use the bucket and the CloudWatch Logs role for this trail only.
    // The L2 Trail writes these statements itself (GetBucketAcl, then PutObject, after the TLS deny).
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': trailArn } };
    const bucketPolicy = this.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
    bucketPolicy.addPropertyOverride('PolicyDocument.Statement.1.Condition', fromThisTrail);
    bucketPolicy.addPropertyOverride('PolicyDocument.Statement.2.Condition', {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn },
    });
    const logsRole = this.trail.node.findChild('LogsRole').node.defaultChild as iam.CfnRole;
    logsRole.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition', fromThisTrail);
    // The L2 Trail has no advanced event selectors; they replace its (empty) basic selectors.
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.addPropertyDeletionOverride('EventSelectors');
    cfnTrail.addPropertyOverride('AdvancedEventSelectors', [
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      ...BEDROCK_DATA_EVENT_RESOURCE_TYPES.map((type) => ({
        Name: `Bedrock data events: ${type}`,
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: [type] },
        ],
      })),
      ...auditDataEventSelectors(this.bucket.bucketArn, props.dataEvents),
    ]);
  }
}

/** Advanced event selectors for the trail bucket's objects and the given platform resources. */
function auditDataEventSelectors(trailBucketArn: string, resources: AuditDataEvents | undefined): Record<string, unknown>[] {
  const selector = (name: string, type: string, arnSelector: Record<string, unknown>, extra: Record<string, unknown>[] = []) => ({
    Name: name,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [type] },
      { Field: 'resources.ARN', ...arnSelector },
      ...extra,
    ],
  });
  const selectors = [
    // Everything but PutObject: CloudTrail's own deliveries would otherwise be logged into the bucket they describe.
    selector('Trail bucket objects: reads and deletions', 'AWS::S3::Object', { StartsWith: [`${trailBucketArn}/`] }, [
      { Field: 'eventName', NotEquals: ['PutObject'] },
    ]),
  ];
  if (resources?.functionArns.length)
    selectors.push(selector('Privileged Lambda invocations', 'AWS::Lambda::Function', { Equals: [...resources.functionArns] }));
  if (resources?.queueArns.length) selectors.push(selector('Tenant job queues', 'AWS::SQS::Queue', { Equals: [...resources.queueArns] }));
  if (resources?.tableArns.length)
    selectors.push(selector('Tenant table items', 'AWS::DynamoDB::Table', { Equals: [...resources.tableArns] }));
  return selectors;
}
