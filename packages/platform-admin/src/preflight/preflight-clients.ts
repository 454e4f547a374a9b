/**
 * The AWS SDK clients preflight reads with, each in the region its service
 * lives in for this platform. Tests replace them at the SDK boundary
 * (aws-sdk-client-mock); nothing here writes.
 */
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
import { PlatformConfig } from '@openclaw-tenancy/shared';

/** CloudFront only accepts ACM certificates from this region. */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

export interface PreflightClients {
  /** ACM in {@link CLOUDFRONT_CERTIFICATE_REGION}. */
  readonly acm: ACMClient;
  readonly route53: Route53Client;
  /** SES in `signup.emailSender.sesRegion` (default `aws.region`). */
  readonly ses: SESv2Client;
  /** Bedrock control plane in `models.bedrockRegion`. */
  readonly bedrock: BedrockClient;
  readonly iam: IAMClient;
  /** STS in `aws.region`: which account and principal the credentials are. */
  readonly sts: STSClient;
  /** Cognito in `aws.region`, where the control-plane stack creates the user pool. */
  readonly cognito: CognitoIdentityProviderClient;
  /** GuardDuty in `aws.region` (one detector per region). */
  readonly guardDuty: GuardDutyClient;
  /** EKS in `aws.region` (Kubernetes version support windows). */
  readonly eks: EKSClient;
  /** Secrets Manager in `aws.region`, where the provisioner reads the Git credential. */
  readonly secretsManager: SecretsManagerClient;
  /** Service Quotas in `aws.region`. */
  readonly serviceQuotas: ServiceQuotasClient;
  /** Service Quotas in `models.bedrockRegion` (Bedrock quotas are per region). */
  readonly bedrockServiceQuotas: ServiceQuotasClient;
}

export function createPreflightClients(config: PlatformConfig): PreflightClients {
  const region = config.aws.region;
  return {
    acm: new ACMClient({ region: CLOUDFRONT_CERTIFICATE_REGION }),
    // Route 53 is global; the SDK signs for us-east-1 whatever region is given.
    route53: new Route53Client({ region: 'us-east-1' }),
    ses: new SESv2Client({ region: config.signup.emailSender?.sesRegion ?? region }),
    bedrock: new BedrockClient({ region: config.models.bedrockRegion }),
    iam: new IAMClient({ region }),
    eks: new EKSClient({ region }),
    guardDuty: new GuardDutyClient({ region }),
    sts: new STSClient({ region }),
    cognito: new CognitoIdentityProviderClient({ region }),
    secretsManager: new SecretsManagerClient({ region }),
    serviceQuotas: new ServiceQuotasClient({ region }),
    bedrockServiceQuotas: new ServiceQuotasClient({ region: config.models.bedrockRegion }),
  };
}
