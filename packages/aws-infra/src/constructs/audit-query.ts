import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TENANT_SECRET_ID_ROOT } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';

export interface AuditQueryProps {
  /** The trail's bucket (CloudTrail writes under `AWSLogs/<account>/CloudTrail/<region>/`). */
  readonly trailBucket: s3.IBucket;
  /** Key of the trail bucket and of the query results. */
  readonly key: kms.IKey;
  /**
   * Regions whose trail files the table covers (partition projection).
   * @default AWS_PARTITION_REGIONS
   */
  readonly regions?: readonly string[];
  /** Access logs of the results bucket go here. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Database name in the Glue Data Catalog.
   * @default 'openclaw_audit'
   */
  readonly databaseName?: string;
}

export const AUDIT_TABLE = 'cloudtrail';

/**
 * Every region of the aws partition, opt-in ones included. The trail is
 * multi-region, so a call in any enabled region (a stolen credential used
 * far from home) lands in the bucket; the table projects all of them, and a
 * region never enabled is an empty prefix that costs nothing to scan.
 */
export const AWS_PARTITION_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

/** Secrets Manager calls that return a secret's value or could be used to; each is matched by name, full ARN and batch. */
export const SECRET_READ_EVENT_NAMES = [
  'GetSecretValue',
  'BatchGetSecretValue',
  'DescribeSecret',
  'ListSecretVersionIds',
  'GetResourcePolicy',
] as const;

// Column layout of CloudTrail records, as in the Athena user guide ("Create a table for CloudTrail logs
// using partition projection"), with region and day as projected partitions.
const CLOUDTRAIL_COLUMN_TYPES: readonly (readonly [string, string])[] = [
  ['eventversion', 'string'],
  [
    'useridentity',
    'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
      'onbehalfof:struct<userid:string,identitystorearn:string>,' +
      'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
      'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
      'ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>,sourceidentity:string>>',
  ],
  ['eventtime', 'string'],
  ['eventsource', 'string'],
  ['eventname', 'string'],
  ['awsregion', 'string'],
  ['sourceipaddress', 'string'],
  ['useragent', 'string'],
  ['errorcode', 'string'],
  ['errormessage', 'string'],
  ['requestparameters', 'string'],
  ['responseelements', 'string'],
  ['additionaleventdata', 'string'],
  ['requestid', 'string'],
  ['eventid', 'string'],
  ['readonly', 'string'],
  ['resources', 'array<struct<arn:string,accountid:string,type:string>>'],
  ['eventtype', 'string'],
  ['apiversion', 'string'],
  ['recipientaccountid', 'string'],
  ['serviceeventdetails', 'string'],
  ['sharedeventid', 'string'],
  ['vpcendpointid', 'string'],
  ['vpcendpointaccountid', 'string'],
  ['eventcategory', 'string'],
  ['tlsdetails', 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>'],
];
const CLOUDTRAIL_COLUMNS: readonly glue.CfnTable.ColumnProperty[] = CLOUDTRAIL_COLUMN_TYPES.map(([name, type]) => ({ name, type }));

/**
 * Makes the audit trail queryable: a Glue table over the trail files
 * (partition projection, so no crawler and no partition maintenance), an
 * Athena workgroup whose results are KMS-encrypted and whose settings users
 * cannot override, and saved queries that answer per-tenant questions.
 */
export class AuditQuery extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly workGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditQueryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const databaseName = props.databaseName ?? 'openclaw_audit';
    const regions = props.regions ?? AWS_PARTITION_REGIONS;
    if (regions.length === 0) throw new Error('regions is empty; list at least the platform region');
    const trailRoot = `s3://${props.trailBucket.bucketName}/AWSLogs/${stack.account}/CloudTrail`;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: databaseName, description: 'OpenClaw platform audit trail (CloudTrail)' },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName,
      tableInput: {
        name: AUDIT_TABLE,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'region', type: 'string' },
          { name: 'day', type: 'string' },
        ],
        parameters: {
          classification: 'cloudtrail',
          'projection.enabled': 'true',
          'projection.region.type': 'enum',
          'projection.region.values': [...new Set(regions)].join(','),
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy/MM/dd',
          'projection.day.range': '2026/01/01,NOW',
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `${trailRoot}/\${region}/\${day}`,
        },
        storageDescriptor: {
          location: trailRoot,
          columns: [...CLOUDTRAIL_COLUMNS],
          inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    this.table.addResourceDependency(this.database);

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${databaseName.replace(/_/g, '-')}`,
      description: 'Queries over the OpenClaw audit trail',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });

    const table = `"${databaseName}"."${AUDIT_TABLE}"`;
    for (const [name, description, queryString] of sampleQueries(table)) {
      new athena.CfnNamedQuery(this, name, { name, description, database: databaseName, workGroup: this.workGroup.ref, queryString });
    }
  }
}

/** The saved queries: [name, description, SQL]. `?` is an Athena execution parameter. */
export function sampleQueries(table: string): readonly (readonly [string, string, string])[] {
  const secretRoot = TENANT_SECRET_ID_ROOT;
  return [
    [
      'tenant-secret-access',
      "Every read or inspection of one tenant's secrets (parameter: tenant id) by name, full ARN or batch, in every region, last 30 days",
      [
        `WITH target AS (SELECT concat('${secretRoot}', ?, '/') AS root)`,
        'SELECT e.eventtime, e.awsregion, e.eventname, e.useridentity.arn AS caller, e.sourceipaddress, e.errorcode,',
        "       coalesce(json_extract_scalar(e.requestparameters, '$.secretId'), json_format(json_extract(e.requestparameters, '$.secretIdList')),",
        "                json_format(json_extract(e.requestparameters, '$.filters'))) AS secret_ids",
        `FROM ${table} e CROSS JOIN target t`,
        "WHERE e.eventsource = 'secretsmanager.amazonaws.com'",
        `  AND e.eventname IN (${SECRET_READ_EVENT_NAMES.map((n) => `'${n}'`).join(', ')})`,
        // A secret id is a name or a full ARN (…:secret:<name>-<suffix>); a batch names a list or a filter. The
        // name is searched in the whole request and in the event's resources, which covers all of these.
        '  AND (strpos(e.requestparameters, t.root) > 0',
        "       OR any_match(e.resources, r -> strpos(r.arn, concat(':secret:', t.root)) > 0)",
        "       OR (e.eventname = 'BatchGetSecretValue' AND json_extract(e.requestparameters, '$.filters') IS NOT NULL))",
        "  AND e.day >= date_format(current_date - interval '30' day, '%Y/%m/%d')",
        'ORDER BY e.eventtime DESC',
      ].join('\n'),
    ],
    [
      'tenant-activity-by-namespace',
      'All AWS calls made with the Pod Identity sessions of one tenant namespace (parameter: namespace, e.g. openclaw-<tenant id>), last 7 days',
      [
        'WITH sessions AS (',
        "  SELECT json_extract_scalar(responseelements, '$.assumedRoleUser.arn') AS session_arn,",
        "         json_extract_scalar(responseelements, '$.subject.namespace') AS namespace",
        `  FROM ${table}`,
        "  WHERE eventsource = 'eks-auth.amazonaws.com' AND eventname = 'AssumeRoleForPodIdentity'",
        "    AND day >= date_format(current_date - interval '7' day, '%Y/%m/%d')",
        ')',
        'SELECT s.namespace, e.eventtime, e.eventsource, e.eventname, e.errorcode',
        `FROM ${table} e JOIN sessions s ON e.useridentity.arn = s.session_arn`,
        "WHERE s.namespace = ? AND e.day >= date_format(current_date - interval '7' day, '%Y/%m/%d')",
        'ORDER BY e.eventtime DESC',
      ].join('\n'),
    ],
    [
      'bedrock-invocations-by-profile',
      'Bedrock model invocations per inference profile (each tenant has its own application profiles), last 30 days',
      [
        "SELECT json_extract_scalar(requestparameters, '$.modelId') AS model_or_profile, eventname, count(*) AS calls,",
        '       count(errorcode) AS failed',
        `FROM ${table}`,
        "WHERE eventsource = 'bedrock.amazonaws.com'",
        "  AND eventname IN ('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream')",
        "  AND day >= date_format(current_date - interval '30' day, '%Y/%m/%d')",
        'GROUP BY 1, 2',
        'ORDER BY calls DESC',
      ].join('\n'),
    ],
  ];
}
