import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { AuditQuery } from '../constructs/audit-query';
import { AuditTrail } from '../constructs/audit-trail';

export interface AuditStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/** Layer 10: the CloudTrail audit trail and the Athena table and queries over it. */
export class AuditStack extends Stack {
  readonly trail: AuditTrail;
  readonly query: AuditQuery;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.trail = new AuditTrail(this, 'Trail', {
      retentionDays: config.observability.auditLogRetentionDays,
      trailName: `${config.platformName}-audit`,
    });
    this.query = new AuditQuery(this, 'Query', {
      trailBucket: this.trail.bucket,
      key: this.trail.key,
      accessLogBucket: this.trail.accessLogBucket,
      // Global services (IAM, STS global endpoint, CloudFront) log to us-east-1; tenants call Bedrock in its own region.
      regions: [config.aws.region, 'us-east-1', config.models.bedrockRegion],
      databaseName: `${config.platformName.replace(/-/g, '_')}_audit`,
    });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.query.workGroup.ref });
  }
}
