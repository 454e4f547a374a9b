import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PlatformConfig, PlatformFunction as PlatformFunctionName, platformFunctionName } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance';
import { bundlingOptions, platformConfigDefine } from '@openclaw-tenancy/lambdas';

/**
 * How every handler is bundled: local esbuild (no Docker), minified with
 * source maps, the AWS SDK bundled from its ESM builds (faster init) except
 * the credential providers Lambda never reaches. The options come from the
 * lambdas package, whose bundle test loads exactly these bundles.
 */
export const PLATFORM_FUNCTION_BUNDLING: nodejs.BundlingOptions = {
  ...(bundlingOptions() as Omit<nodejs.BundlingOptions, 'format'>),
  format: nodejs.OutputFormat.CJS,
  forceDockerBundling: false,
};

/**
 * The one variable besides the function's own configuration: Node.js only
 * applies the bundled source maps to stack traces when started with it.
 */
export const SOURCE_MAP_NODE_OPTIONS = { NODE_OPTIONS: '--enable-source-maps' } as const;

export interface PlatformFunctionProps {
  /** Which platform function this is (names the Lambda and its log group). */
  readonly platformFunction: PlatformFunctionName;
  /** TypeScript entry exporting `handler`. */
  readonly entry: string;
  /** Exactly the variables the handler reads (see function-environment.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** Receives the alarm on any invocation error. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Prefix of the function name.
   * @default 'openclaw'
   */
  readonly namePrefix?: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default - a short description naming the function */
  readonly description?: string;
  /**
   * Bundled into the function's code (not its environment): the platform
   * config of a function that synthesizes tenant folders, so it comes with the
   * deployment and never from the branch the function pushes to.
   * @default - none bundled
   */
  readonly bundledPlatformConfig?: PlatformConfig;
}

/**
 * One platform Lambda: Node.js 24 on arm64, bundled from `packages/lambdas`,
 * with its own log group (retention from config) and an error alarm.
 */
export class PlatformFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly errorAlarm: cloudwatch.Alarm;
  /** The platform config bundled into the code, if any. */
  readonly bundledPlatformConfig?: PlatformConfig;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    if ('NODE_OPTIONS' in props.environment)
      throw new Error('environment must not set NODE_OPTIONS; PlatformFunction sets it to enable source maps');
    this.bundledPlatformConfig = props.bundledPlatformConfig;
    const functionName = platformFunctionName(props.namePrefix ?? 'openclaw', props.platformFunction);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: props.description ?? `OpenClaw platform: ${props.platformFunction}`,
      entry: props.entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      environment: { ...props.environment, ...SOURCE_MAP_NODE_OPTIONS },
      logGroup: this.logGroup,
      bundling: props.bundledPlatformConfig
        ? { ...PLATFORM_FUNCTION_BUNDLING, define: platformConfigDefine(props.bundledPlatformConfig) }
        : PLATFORM_FUNCTION_BUNDLING,
    });
    this.errorAlarm = this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'ErrorAlarm', {
      alarmDescription: `${functionName} failed; see its log group ${this.logGroup.logGroupName}.`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    acknowledge(
      this.function,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "The basic execution policy only allows writing the function's own CloudWatch logs; every other permission is a scoped inline statement.",
    );
  }
}
