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
  /** Regions whose trail files the table covers (partition projection). */
  readonly regions: readonly string[];
  /** Access logs of the results bucket go here. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Database name in the Glue Data Catalog.
   * @default 'openclaw_audit'
   */
  readonly databaseName?: string;
}

export const AUDIT_TABLE = 'cloudtrail';

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
    if (props.regions.length === 0) throw new Error('regions is empty; list at least the platform region');
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
          'projection.region.values': [...new Set(props.regions)].join(','),
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
      'Every Secrets Manager call on one tenant\'s secrets (parameter: tenant id), last 30 days',
      [
        "SELECT eventtime, eventname, useridentity.arn AS caller, json_extract_scalar(requestparameters, '$.secretId') AS secret_id, errorcode",
        `FROM ${table}`,
        "WHERE eventsource = 'secretsmanager.amazonaws.com'",
        `  AND json_extract_scalar(requestparameters, '$.secretId') LIKE concat('${secretRoot}', ?, '/%')`,
        "  AND day >= date_format(current_date - interval '30' day, '%Y/%m/%d')",
        'ORDER BY eventtime DESC',
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
