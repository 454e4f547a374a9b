/**
 * Where a deployed platform keeps what exists only after `cdk deploy` (the
 * tenant table, the job queues), read from the platform's own functions: the
 * environment PostConfirmation runs with (through the lambdas' own config
 * reader) and the queue the offboarder consumes (its event source mapping).
 * So an operator command uses exactly the resources the functions use, and
 * nothing but the platform config has to be given.
 */
import { GetFunctionConfigurationCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readPostConfirmationConfig } from '@openclaw-tenancy/lambdas';
import { PlatformConfig, platformFunctionName } from '@openclaw-tenancy/shared';

export interface PlatformDeployment {
  readonly tenantTable: string;
  /** PostConfirmation takes the domain's confirmation slot here in the claim transaction. */
  readonly signupGuardTable: string;
  readonly provisioningQueueUrl: string;
  readonly offboardingQueueUrl: string;
}

/** The platform is not deployed where the config and credentials point. */
export class DeploymentNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentNotFoundError';
  }
}

const SQS_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

export async function discoverDeployment(
  config: PlatformConfig,
  clients: { readonly lambda: LambdaClient; readonly sqs: SQSClient },
): Promise<PlatformDeployment> {
  const where = `account ${config.aws.account}, ${config.aws.region}`;
  const postConfirmation = platformFunctionName(config.platformName, 'post-confirmation');
  const offboarder = platformFunctionName(config.platformName, 'offboarder');
  let variables: Record<string, string>;
  try {
    const fn = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: postConfirmation }));
    variables = fn.Environment?.Variables ?? {};
  } catch (e) {
    if (e instanceof Error && e.name === 'ResourceNotFoundException') {
      throw new DeploymentNotFoundError(
        `function ${postConfirmation} not found (${where}): deploy the platform first, or check --config and the AWS credentials`,
      );
    }
    throw e;
  }
  const fromFunction = readPostConfirmationConfig(variables);

  const mappings = await clients.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: offboarder }));
  const queueArns = (mappings.EventSourceMappings ?? []).map((m) => m.EventSourceArn ?? '').filter((arn) => SQS_ARN.test(arn));
  if (queueArns.length !== 1) {
    throw new DeploymentNotFoundError(
      `function ${offboarder} (${where}) has ${queueArns.length} SQS event sources, expected its one offboarding queue`,
    );
  }
  const [, , account, queueName] = SQS_ARN.exec(queueArns[0] as string) as RegExpExecArray;
  const queue = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: account }));
  if (!queue.QueueUrl) throw new DeploymentNotFoundError(`queue ${queueName} of ${offboarder} has no URL`);
  return {
    tenantTable: fromFunction.tenantTable,
    signupGuardTable: fromFunction.signupGuardTable,
    provisioningQueueUrl: fromFunction.provisioningQueueUrl,
    offboardingQueueUrl: queue.QueueUrl,
  };
}
