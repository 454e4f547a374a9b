import '../support/aws-test-env';
import { GetFunctionConfigurationCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { FUNCTION_ENV } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { DeploymentNotFoundError, discoverDeployment } from '../../src/lifecycle/platform-deployment';

const lambda = mockClient(LambdaClient);
const sqs = mockClient(SQSClient);
const config = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
const clients = () => ({ lambda: new LambdaClient({}), sqs: new SQSClient({}) });

/** What the CDK app sets on PostConfirmation (FUNCTION_ENV_KEYS['post-confirmation']). */
const POST_CONFIRMATION_ENV = {
  [FUNCTION_ENV.confirmationsPerDomainPerHour]: '200',
  [FUNCTION_ENV.maxTenants]: '1000',
  [FUNCTION_ENV.tenantTable]: 'openclaw-control-plane-TablesTenantTable-1A2B',
  [FUNCTION_ENV.signupGuardTable]: 'openclaw-control-plane-TablesSignupGuard-3C4D',
  [FUNCTION_ENV.idempotencyTable]: 'openclaw-control-plane-TablesIdempotency-5E6F',
  [FUNCTION_ENV.provisioningQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-control-plane-ProvisioningQueue-AAA',
  [FUNCTION_ENV.defaultTenantTier]: 'standard',
  [FUNCTION_ENV.defaultRuntimeTier]: 'gvisor',
  NODE_OPTIONS: '--enable-source-maps',
};

beforeEach(() => {
  lambda.reset();
  sqs.reset();
});

describe('discoverDeployment', () => {
  it("reads the tables and provisioning queue from PostConfirmation's environment and the offboarding queue from the offboarder's event source", async () => {
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'openclaw-post-confirmation' })
      .resolves({ Environment: { Variables: POST_CONFIRMATION_ENV } });
    lambda.on(ListEventSourceMappingsCommand, { FunctionName: 'openclaw-offboarder' }).resolves({
      EventSourceMappings: [{ EventSourceArn: 'arn:aws:sqs:eu-west-1:111111111111:openclaw-control-plane-OffboardingQueue-BBB' }],
    });
    sqs
      .on(GetQueueUrlCommand, { QueueName: 'openclaw-control-plane-OffboardingQueue-BBB', QueueOwnerAWSAccountId: '111111111111' })
      .resolves({
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-control-plane-OffboardingQueue-BBB',
      });
    await expect(discoverDeployment(config, clients())).resolves.toEqual({
      tenantTable: 'openclaw-control-plane-TablesTenantTable-1A2B',
      signupGuardTable: 'openclaw-control-plane-TablesSignupGuard-3C4D',
      provisioningQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-control-plane-ProvisioningQueue-AAA',
      offboardingQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-control-plane-OffboardingQueue-BBB',
    });
  });

  it('fails if the platform is not deployed there, naming the function, account and region', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
    const failure = discoverDeployment(config, clients());
    await expect(failure).rejects.toThrow(DeploymentNotFoundError);
    await expect(failure).rejects.toThrow(/openclaw-post-confirmation not found \(account 111111111111, eu-west-1\)/);
  });

  it("fails if PostConfirmation's environment lacks a variable (the lambdas' own reader names it)", async () => {
    const { [FUNCTION_ENV.tenantTable]: _dropped, ...incomplete } = POST_CONFIRMATION_ENV;
    lambda.on(GetFunctionConfigurationCommand).resolves({ Environment: { Variables: incomplete } });
    await expect(discoverDeployment(config, clients())).rejects.toThrow(/TENANT_TABLE/);
  });

  it('fails if the offboarder has no single SQS event source', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ Environment: { Variables: POST_CONFIRMATION_ENV } });
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
    await expect(discoverDeployment(config, clients())).rejects.toThrow(/openclaw-offboarder .* has 0 SQS event sources/);
    expect(sqs.calls()).toEqual([]);
  });
});
