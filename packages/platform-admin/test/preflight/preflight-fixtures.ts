import { ACMClient } from '@aws-sdk/client-acm';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EKSClient } from '@aws-sdk/client-eks';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { PreflightClients, createPreflightClients } from '../../src/preflight/preflight-clients';

/** The example config, with overrides per test. */
export function exampleConfig(override: (c: PlatformConfig) => PlatformConfig = (c) => c): PlatformConfig {
  return override(loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG));
}

/** Real SDK clients; tests intercept them with aws-sdk-client-mock, so nothing leaves the process. */
export function sdkClients(config: PlatformConfig): PreflightClients {
  return createPreflightClients(config);
}

/** An error as the AWS SDK throws it: the AWS error code is the name. */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Every AWS client the preflight checks use, intercepted at the SDK boundary (one set per test file). */
export const preflightMocks = {
  acm: mockClient(ACMClient),
  route53: mockClient(Route53Client),
  ses: mockClient(SESv2Client),
  bedrock: mockClient(BedrockClient),
  iam: mockClient(IAMClient),
  secrets: mockClient(SecretsManagerClient),
  quotas: mockClient(ServiceQuotasClient),
  eks: mockClient(EKSClient),
  sts: mockClient(STSClient),
  cognito: mockClient(CognitoIdentityProviderClient),
  guardDuty: mockClient(GuardDutyClient),
};

export function resetPreflightMocks(): void {
  for (const m of Object.values(preflightMocks)) m.reset();
}
