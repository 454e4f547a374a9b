/**
 * What an application inference profile is copied from, and the values the
 * provisioner derives for it. Mirrors `catalogModelArns` in
 * packages/aws-infra/src/bedrock-model-arns.ts (which grants exactly these
 * resources to `bedrock:CreateInferenceProfile`); the two should move to
 * packages/shared together.
 */
import { createHash } from 'node:crypto';

/** Geography prefixes of system-defined (cross-region) inference profile ids. */
export const SYSTEM_PROFILE_PREFIXES = ['us', 'eu', 'apac', 'us-gov', 'global', 'jp', 'au', 'ca'] as const;
const SYSTEM_PROFILE_ID = new RegExp(`^(${SYSTEM_PROFILE_PREFIXES.join('|')})\\.(.+)$`);

export interface ModelSourceContext {
  readonly partition: string;
  readonly account: string;
  /** `models.bedrockRegion`: where the profiles are created and invoked. */
  readonly region: string;
}

/**
 * `modelSource.copyFrom` for a catalog id: a system profile (`us.anthropic…`,
 * an ARN with the account) or a foundation model in the region (no account).
 */
export function modelSourceArn(catalogId: string, ctx: ModelSourceContext): string {
  if (SYSTEM_PROFILE_ID.test(catalogId)) return `arn:${ctx.partition}:bedrock:${ctx.region}:${ctx.account}:inference-profile/${catalogId}`;
  return `arn:${ctx.partition}:bedrock:${ctx.region}::foundation-model/${catalogId}`;
}

/** The AWS partition a region belongs to. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * `clientRequestToken` of a tenant's profile for one alias: the same on every
 * retry (a retried create returns the profile the first attempt made), different
 * for every tenant and alias. Hex, so it matches Bedrock's token pattern.
 */
export function inferenceProfileRequestToken(tenantId: string, alias: string): string {
  return createHash('sha256').update(`openclaw-inference-profile\u0000${tenantId}\u0000${alias}`).digest('hex');
}

/** The region of a Bedrock ARN (`arn:aws:bedrock:<region>:…`). */
export function regionOfArn(arn: string): string {
  const region = arn.split(':')[3];
  if (!region) throw new Error(`not a regional ARN: ${arn}`);
  return region;
}

/** The profile id: the last segment of an application inference profile ARN. */
export function profileIdOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
