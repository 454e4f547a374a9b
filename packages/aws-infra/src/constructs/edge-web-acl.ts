import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface EdgeWebAclProps {
  /** Requests one client IP may send in any 5-minute window before it is blocked. */
  readonly rateLimitPer5Minutes: number;
  /**
   * Adds the AWS Bot Control rule group (COMMON inspection level). It is part
   * of the web ACL definition, so switching it on or off applies on the next deploy.
   */
  readonly botControl: boolean;
  /** How long WAF request logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Prefix of the web ACL name, its metrics and its log group.
   * @default 'openclaw'
   */
  readonly namePrefix?: string;
}

/** The web ACL in front of the CloudFront distribution (CLOUDFRONT scope, so it must be created in us-east-1). */
export class EdgeWebAcl extends Construct {
  /** The managed rule groups and rules, in evaluation order. */
  static readonly RULE_NAMES = {
    common: 'AWSManagedRulesCommonRuleSet',
    rateLimit: 'RateLimitPerIp',
    botControl: 'AWSManagedRulesBotControlRuleSet',
  } as const;

  readonly webAcl: wafv2.CfnWebACL;
  readonly webAclArn: string;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    if (!Number.isInteger(props.rateLimitPer5Minutes) || props.rateLimitPer5Minutes < 10) {
      throw new Error(`rateLimitPer5Minutes must be a whole number of at least 10 (the WAF minimum), got ${props.rateLimitPer5Minutes}`);
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new Error(`a CLOUDFRONT-scoped web ACL must be deployed in us-east-1, not ${region}; put EdgeWebAcl in a us-east-1 stack`);
    }
    const prefix = props.namePrefix ?? 'openclaw';
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${prefix}-${metricName}`,
    });

    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: EdgeWebAcl.RULE_NAMES.common,
        priority: 0,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
        visibilityConfig: visibility('common'),
      },
      {
        name: EdgeWebAcl.RULE_NAMES.rateLimit,
        priority: 1,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: props.rateLimitPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('rate-limit'),
      },
    ];
    if (props.botControl) {
      rules.push({
        name: EdgeWebAcl.RULE_NAMES.botControl,
        priority: 2,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: 'AWSManagedRulesBotControlRuleSet',
            managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'COMMON' } }],
          },
        },
        visibilityConfig: visibility('bot-control'),
      });
    }

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('edge'),
      rules,
    });
    this.webAclArn = this.webAcl.attrArn;

    // WAF only delivers to log groups whose name starts with this prefix.
    const logGroupName = `aws-waf-logs-${prefix}-edge`;
    this.logGroup = new logs.LogGroup(this, 'Logs', { logGroupName, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      // The session cookie carries the Cognito ID token; it must not land in logs.
      redactedFields: [{ singleHeader: { Name: 'cookie' } }, { singleHeader: { Name: 'authorization' } }],
    });
    logging.node.addDependency(this.logGroup);
  }
}
