/**
 * How catalog model ids map to Bedrock resources, in one place for the IAM
 * grants (aws-infra) and the per-tenant application inference profiles the
 * provisioner creates from them (lambdas). A catalog id is either a foundation
 * model in the Bedrock region (`deepseek.v3.2`) or a system-defined
 * cross-region inference profile (`us.anthropic.claude-sonnet-4-6`), which
 * routes to the same foundation model in several regions; Bedrock authorizes
 * an invocation against every resource on the path (user guide,
 * "Prerequisites for inference profiles").
 */

/**
 * A catalog model's alias (`models.catalog[].alias`), the key of a tenant's
 * inference profiles and part of the profile name: 1-12 characters a-z and
 * 0-9, starting with a letter.
 */
export const MODEL_ALIAS_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

/**
 * Geography prefixes of system-defined inference profile ids, with the prefix
 * of the source regions they can be called from (`global` from anywhere).
 */
export const SYSTEM_PROFILE_GEOGRAPHIES: readonly { readonly prefix: string; readonly regionPrefix: string }[] = [
  { prefix: 'us-gov', regionPrefix: 'us-gov-' },
  { prefix: 'us', regionPrefix: 'us-' },
  { prefix: 'eu', regionPrefix: 'eu-' },
  { prefix: 'apac', regionPrefix: 'ap-' },
  { prefix: 'jp', regionPrefix: 'ap-northeast-' },
  { prefix: 'au', regionPrefix: 'ap-southeast-' },
  { prefix: 'ca', regionPrefix: 'ca-' },
  { prefix: 'global', regionPrefix: '' },
];

const SYSTEM_PROFILE_ID = new RegExp(`^(${SYSTEM_PROFILE_GEOGRAPHIES.map((g) => g.prefix).join('|')})\\.(.+)$`);

/** The geography of a system profile id, or undefined for a foundation model id. */
export function systemProfileGeography(
  modelId: string,
): { readonly prefix: string; readonly regionPrefix: string; readonly foundationModelId: string } | undefined {
  const match = SYSTEM_PROFILE_ID.exec(modelId);
  const geography = SYSTEM_PROFILE_GEOGRAPHIES.find((g) => g.prefix === match?.[1]);
  return geography && match?.[2] ? { ...geography, foundationModelId: match[2] } : undefined;
}

export interface BedrockArnContext {
  readonly partition: string;
  readonly account: string;
  /** Region the tenants call Bedrock in (`models.bedrockRegion`). */
  readonly bedrockRegion: string;
}

export interface CatalogModelArns {
  /** System-defined inference profiles of the catalog (invoked only through a tenant's application profile). */
  readonly systemProfileArns: readonly string[];
  /** Foundation models behind the catalog: region-wildcarded for cross-region profiles, pinned otherwise. */
  readonly foundationModelArns: readonly string[];
}

export function catalogModelArns(modelIds: readonly string[], ctx: BedrockArnContext): CatalogModelArns {
  const systemProfileArns = new Set<string>();
  const foundationModelArns = new Set<string>();
  for (const id of modelIds) {
    const profile = systemProfileGeography(id);
    if (profile) {
      systemProfileArns.add(modelSourceArn(id, ctx));
      // The destinations of a cross-region profile are chosen by Bedrock; only the model id can be pinned.
      foundationModelArns.add(`arn:${ctx.partition}:bedrock:*::foundation-model/${profile.foundationModelId}`);
    } else {
      foundationModelArns.add(modelSourceArn(id, ctx));
    }
  }
  return { systemProfileArns: [...systemProfileArns], foundationModelArns: [...foundationModelArns] };
}

/**
 * What a tenant's application inference profile is copied from
 * (`modelSource.copyFrom`): the system profile (an ARN with the account) or the
 * foundation model in the Bedrock region (no account).
 */
export function modelSourceArn(catalogId: string, ctx: BedrockArnContext): string {
  if (systemProfileGeography(catalogId))
    return `arn:${ctx.partition}:bedrock:${ctx.bedrockRegion}:${ctx.account}:inference-profile/${catalogId}`;
  return `arn:${ctx.partition}:bedrock:${ctx.bedrockRegion}::foundation-model/${catalogId}`;
}

/** Every application inference profile of the account in the Bedrock region (the per-tenant profiles). */
export function applicationProfileArnPattern(ctx: BedrockArnContext): string {
  return `arn:${ctx.partition}:bedrock:${ctx.bedrockRegion}:${ctx.account}:application-inference-profile/*`;
}
