import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { AUTH_UI_CONFIG_PATH, AuthUiRuntimeConfig, authUiRuntimeConfigProblems } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { acknowledgeSingleton, nagResource } from '../compliance';

/** The file the auth UI fetches its configuration from, relative to the site root. */
export const AUTH_UI_CONFIG_FILE = AUTH_UI_CONFIG_PATH.replace(/^\//, '');

export interface AuthUiDeploymentProps {
  /** Directory with the built site (`packages/auth-ui/dist`). */
  readonly sourceDirectory: string;
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** Written as config.json from the real resource values of this deployment. */
  readonly runtimeConfig: AuthUiRuntimeConfig;
}

/**
 * Uploads the built auth UI and its config.json, then invalidates CloudFront.
 * The config is generated here from the deployed pool and client; a
 * config.json in the build output is ignored, so no placeholder can
 * overwrite it and break the deployed UI.
 */
export class AuthUiDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;
  /** What config.json contains (resource values are tokens until deploy time). */
  readonly runtimeConfig: AuthUiRuntimeConfig;

  constructor(scope: Construct, id: string, props: AuthUiDeploymentProps) {
    super(scope, id);
    const problems = authUiRuntimeConfigProblems(props.runtimeConfig);
    if (problems.length > 0) throw new Error(`the auth UI runtime config is invalid: ${problems.join('; ')}`);
    this.runtimeConfig = props.runtimeConfig;
    if (!fs.existsSync(path.join(props.sourceDirectory, 'index.html'))) {
      throw new Error(
        `the auth UI build ${props.sourceDirectory} is missing (no index.html); run \`npx nx run auth-ui:build\` first ` +
          '(`nx run aws-infra:synth` builds it through its dependsOn)',
      );
    }
    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [
        s3deploy.Source.asset(props.sourceDirectory, { exclude: [AUTH_UI_CONFIG_FILE] }),
        s3deploy.Source.jsonData(AUTH_UI_CONFIG_FILE, props.runtimeConfig),
      ],
      destinationBucket: props.bucket,
      distribution: props.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
    });
    const stack = Stack.of(this);
    const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const assetsBucket = nagResource(this, `arn:${stack.partition}:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*`);
    const handlerReason =
      'The BucketDeployment handler of aws-cdk-lib copies the site from the CDK asset bucket into the site bucket and invalidates the distribution;';
    acknowledgeSingleton(stack, 'Custom::CDKBucketDeployment', [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${handlerReason} the basic execution policy only writes its own logs.`,
      },
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${handlerReason} aws-cdk-lib's bucket grants use the ${action} action family on exactly those two buckets.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${assetsBucket}]`,
        reason: `${handlerReason} it reads objects of the CDK bootstrap asset bucket only.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.resolve((props.bucket.node.defaultChild as CfnResource).logicalId)}.Arn>/*]`,
        reason: `${handlerReason} it writes objects of the site bucket only.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${handlerReason} cloudfront:CreateInvalidation/GetInvalidation do not support resource-level permissions in aws-cdk-lib's grant.`,
      },
      { id: 'AwsSolutions-L1', reason: `${handlerReason} its runtime is pinned by aws-cdk-lib, not by platform code.` },
    ]);
  }
}
