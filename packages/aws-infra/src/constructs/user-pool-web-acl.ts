import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface UserPoolWebAclProps {
  /** The user pool whose API (sign-up, sign-in, refresh, password reset) the web ACL guards. */
  readonly userPool: cognito.IUserPool;
  /** Requests one client address may send to the pool in any 5-minute window before it is blocked. */
  readonly rateLimitPer5Minutes: number;
  /** How long WAF request logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Prefix of the web ACL name, its metrics and its log group.
   * @default 'openclaw'
   */
  readonly namePrefix?: string;
}

/**
 * A regional web ACL on the Cognito user pool. The auth UI calls Cognito's
 * API straight from the browser, so the CloudFront web ACL never sees a
 * sign-in; this one does: a per-address rate rule for credential stuffing
 * and code spraying, the Amazon IP reputation list and the common and
 * known-bad-inputs rule groups.
 */
export class UserPoolWebAcl extends Construct {
  /** Rules in evaluation order. */
  static readonly RULE_NAMES = {
    rateLimit: 'RateLimitPerIp',
    ipReputation: 'AWSManagedRulesAmazonIpReputationList',
    common: 'AWSManagedRulesCommonRuleSet',
    knownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
  } as const;

  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: UserPoolWebAclProps) {
    super(scope, id);
    if (!Number.isInteger(props.rateLimitPer5Minutes) || props.rateLimitPer5Minutes < 10) {
      throw new Error(
        `rateLimitPer5Minutes must be a whole number of at least 10 (the WAF minimum), got ${props.rateLimitPer5Minutes}; set signup.signInRateLimitPer5Minutes`,
      );
    }
    const prefix = props.namePrefix ?? 'openclaw';
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${prefix}-user-pool-${metricName}`,
    });
    const managed = (name: string, priority: number, metric: string): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(metric),
    });
    const names = UserPoolWebAcl.RULE_NAMES;
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-user-pool`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      rules: [
        {
          name: names.rateLimit,
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimitPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-limit'),
        },
        managed(names.ipReputation, 1, 'ip-reputation'),
        managed(names.common, 2, 'common'),
        managed(names.knownBadInputs, 3, 'known-bad-inputs'),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.userPool.userPoolArn, webAclArn: this.webAcl.attrArn });

    // WAF only delivers to log groups whose name starts with this prefix.
    const logGroupName = `aws-waf-logs-${prefix}-user-pool`;
    this.logGroup = new logs.LogGroup(this, 'Logs', { logGroupName, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const stack = Stack.of(this);
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      // Cognito API requests carry tokens in this header and passwords only in the body, which WAF does not log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
    logging.node.addDependency(this.logGroup);
  }
}
