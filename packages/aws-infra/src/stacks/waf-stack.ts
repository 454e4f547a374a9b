import { Stack, StackProps } from 'aws-cdk-lib';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { EdgeWebAcl } from '../constructs/edge-web-acl';
import { retentionFor } from '../log-retention';

export interface WafStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/**
 * Layer 1 (part): the CloudFront web ACL. CLOUDFRONT-scoped WAF resources
 * exist only in us-east-1, so this small stack lives there and hands the ACL
 * ARN to the edge stack through a cross-region reference (a real resource
 * CloudFormation updates, where a create-only custom resource would go stale).
 */
export class WafStack extends Stack {
  readonly webAcl: EdgeWebAcl;

  constructor(scope: Construct, id: string, props: WafStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { config } = props;
    this.webAcl = new EdgeWebAcl(this, 'WebAcl', {
      rateLimitPer5Minutes: config.edge.wafRateLimitPer5Minutes,
      botControl: config.edge.botControl,
      logRetention: retentionFor(config.observability.logRetentionDays),
      namePrefix: config.platformName,
    });
  }
}
