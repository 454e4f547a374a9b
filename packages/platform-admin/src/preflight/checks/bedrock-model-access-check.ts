import { GetFoundationModelAvailabilityCommand, GetFoundationModelAvailabilityResponse } from '@aws-sdk/client-bedrock';
import { PlatformConfig, systemProfileGeography } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable } from '../check-result';
import { PreflightClients } from '../preflight-clients';

/** The reasons a model cannot be invoked, from Bedrock's availability answer; empty when it can. */
export function modelAccessProblems(availability: GetFoundationModelAvailabilityResponse): string[] {
  const problems: string[] = [];
  if (availability.authorizationStatus !== 'AUTHORIZED') problems.push(`authorization ${availability.authorizationStatus ?? 'unknown'}`);
  if (availability.entitlementAvailability !== 'AVAILABLE')
    problems.push(`entitlement ${availability.entitlementAvailability ?? 'unknown'}`);
  if (availability.agreementAvailability?.status !== 'AVAILABLE')
    problems.push(`agreement ${availability.agreementAvailability?.status ?? 'unknown'}`);
  if (availability.regionAvailability !== 'AVAILABLE') problems.push(`region availability ${availability.regionAvailability ?? 'unknown'}`);
  return problems;
}

/** One item per catalogue model: can this account invoke it from `models.bedrockRegion`? */
export async function checkBedrockModelAccess(config: PlatformConfig, clients: Pick<PreflightClients, 'bedrock'>): Promise<CheckResult[]> {
  const region = config.models.bedrockRegion;
  const consoleUrl = `https://${region}.console.aws.amazon.com/bedrock/home?region=${region}#/modelaccess`;
  return Promise.all(
    config.models.catalog.map(async (model, i): Promise<CheckResult> => {
      const id = `bedrock-model:${model.alias}`;
      const title = `Bedrock model access for ${model.alias} (models.catalog[${i}])`;
      const foundationModelId = systemProfileGeography(model.id)?.foundationModelId ?? model.id;
      try {
        const availability = await clients.bedrock.send(new GetFoundationModelAvailabilityCommand({ modelId: foundationModelId }));
        const problems = modelAccessProblems(availability);
        return problems.length === 0
          ? pass(id, title, `${foundationModelId} can be invoked from ${region}`)
          : fail(
              id,
              title,
              `${foundationModelId} in ${region}: ${problems.join(', ')}`,
              `request access to ${foundationModelId} in the Bedrock console (${consoleUrl}); Anthropic models need the one-time use-case form`,
            );
      } catch (e) {
        if (awsErrorName(e) === 'ResourceNotFoundException' || awsErrorName(e) === 'ValidationException') {
          return fail(
            id,
            title,
            `${foundationModelId} is not a Bedrock model in ${region}`,
            `check models.catalog[${i}].id against \`aws bedrock list-foundation-models --region ${region}\``,
          );
        }
        return unreachable(id, title, 'bedrock:GetFoundationModelAvailability', e);
      }
    }),
  );
}
