import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { PlatformConfig } from '@openclaw-tenancy/shared';
import { lifecyclePortsFor } from '../lifecycle/aws-lifecycle-ports';
import { discoverDeployment } from '../lifecycle/platform-deployment';
import { VerifyPorts, httpStatusOf } from './verify-checks';

/** The deployment the config names, with clients in `aws.region` and the platform's Git repository. */
export async function deployedVerifyPorts(config: PlatformConfig): Promise<VerifyPorts> {
  const region = config.aws.region;
  const lambda = new LambdaClient({ region });
  const sqs = new SQSClient({ region });
  const deployment = await discoverDeployment(config, { lambda, sqs });
  const lifecycle = lifecyclePortsFor(config, deployment);
  return {
    config,
    deployment,
    lambda,
    sqs,
    cloudWatch: new CloudWatchClient({ region }),
    cognito: new CognitoIdentityProviderClient({ region }),
    repository: lifecycle.repository,
    renderer: lifecycle.renderer,
    httpStatus: httpStatusOf,
  };
}
