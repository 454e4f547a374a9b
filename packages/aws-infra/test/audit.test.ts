import { Match, Template } from 'aws-cdk-lib/assertions';
import { BEDROCK_DATA_EVENT_RESOURCE_TYPES } from '../src';
import { SynthesizedPlatform, resourcesOf, synthesizePlatform } from './support/platform';

describe('audit stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.audit);
  });

  const bucket = (prefix: string) => resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id.startsWith(prefix))!;

  test('a multi-region trail with log file validation, encrypted with its own rotating CMK, copied to CloudWatch Logs', () => {
    const [keyId, key] = resourcesOf(template, 'AWS::KMS::Key')[0]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      EventSelectors: Match.absent(),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('records management events and the Bedrock data events', () => {
    const [, trail] = resourcesOf(template, 'AWS::CloudTrail::Trail')[0]!;
    const selectors = trail.Properties.AdvancedEventSelectors;
    expect(selectors[0].FieldSelectors).toEqual([{ Field: 'eventCategory', Equals: ['Management'] }]);
    const dataTypes = selectors.slice(1).map((s: any) => s.FieldSelectors.find((f: any) => f.Field === 'resources.type').Equals[0]);
    // The platform's own data events (security-controls.test.ts) follow Bedrock's.
    expect(dataTypes.slice(0, BEDROCK_DATA_EVENT_RESOURCE_TYPES.length)).toEqual([...BEDROCK_DATA_EVENT_RESOURCE_TYPES]);
    expect(dataTypes).toEqual(expect.arrayContaining(['AWS::Bedrock::Model', 'AWS::Bedrock::AsyncInvoke']));
  });

  test('the CloudTrail key policy lets only this trail encrypt', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/openclaw-audit' } },
          }),
        ]),
      },
    });
  });

  test('the trail bucket: CMK encryption, versioned, access-logged to a separate bucket, TLS only, no public access, retained', () => {
    const [keyId] = resourcesOf(template, 'AWS::KMS::Key')[0]!;
    const [trailBucketId, trailBucket] = bucket('TrailTrailBucket');
    const [logBucketId] = bucket('TrailAccessLogBucket');
    expect(trailBucket.DeletionPolicy).toBe('Retain');
    expect(trailBucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
            BucketKeyEnabled: true,
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId } },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(logBucketId).not.toBe(trailBucketId);
    const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === trailBucketId)!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  test('a Glue table over the trail files, partitioned by region and day through projection', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'openclaw_audit' } });
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'openclaw_audit',
      TableInput: Match.objectLike({
        Name: 'cloudtrail',
        PartitionKeys: [
          { Name: 'region', Type: 'string' },
          { Name: 'day', Type: 'string' },
        ],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.region.values': Match.stringLikeRegexp('^af-south-1,.*eu-west-1,.*us-east-1,.*us-west-2$'),
        }),
        StorageDescriptor: Match.objectLike({
          InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        }),
      }),
    });
  });

  test('an Athena workgroup whose results are KMS-encrypted and whose settings cannot be overridden', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
          OutputLocation: Match.anyValue(),
        },
      },
    });
  });

  test('saved queries answer per-tenant questions', () => {
    const queries = resourcesOf(template, 'AWS::Athena::NamedQuery').map(([, q]) => q.Properties);
    expect(queries.map((q) => q.Name).sort()).toEqual([
      'bedrock-invocations-by-profile',
      'tenant-activity-by-namespace',
      'tenant-secret-access',
    ]);
    const secretQuery = queries.find((q) => q.Name === 'tenant-secret-access')!;
    expect(secretQuery.QueryString).toContain("concat('openclaw/tenants/', ?, '/')");
    const activity = queries.find((q) => q.Name === 'tenant-activity-by-namespace')!;
    expect(activity.QueryString).toContain("eventname = 'AssumeRoleForPodIdentity'");
  });
});
