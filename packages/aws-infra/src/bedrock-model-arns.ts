/**
 * IAM resources behind each model of the catalog. A catalog id is either a
 * foundation model in the Bedrock region (`deepseek.v3.2`) or a cross-region
 * (system-defined) inference profile (`us.anthropic.claude-sonnet-4-6`), which
 * routes to the same foundation model in several regions. Bedrock authorizes
 * an invocation against every resource on the path, so a profile needs its
 * foundation model in each destination region as well (Bedrock user guide,
 * "Prerequisites for inference profiles").
 */

/** Geography prefixes of system-defined inference profile ids. */
export const SYSTEM_PROFILE_PREFIXES = ['us', 'eu', 'apac', 'us-gov', 'global', 'jp', 'au', 'ca'] as const;

export interface ModelArnContext {
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

const PROFILE_ID = new RegExp(`^(${SYSTEM_PROFILE_PREFIXES.join('|')})\\.(.+)$`);

export function catalogModelArns(modelIds: readonly string[], ctx: ModelArnContext): CatalogModelArns {
  const systemProfileArns = new Set<string>();
  const foundationModelArns = new Set<string>();
  for (const id of modelIds) {
    const profile = PROFILE_ID.exec(id);
    if (profile?.[2]) {
      systemProfileArns.add(`arn:${ctx.partition}:bedrock:${ctx.bedrockRegion}:${ctx.account}:inference-profile/${id}`);
      // The destinations of a cross-region profile are chosen by Bedrock; only the model id can be pinned.
      foundationModelArns.add(`arn:${ctx.partition}:bedrock:*::foundation-model/${profile[2]}`);
    } else {
      foundationModelArns.add(`arn:${ctx.partition}:bedrock:${ctx.bedrockRegion}::foundation-model/${id}`);
    }
  }
  return { systemProfileArns: [...systemProfileArns], foundationModelArns: [...foundationModelArns] };
}

/** Every application inference profile of the account in the Bedrock region (the per-tenant profiles). */
export function applicationProfileArnPattern(ctx: ModelArnContext): string {
  return `arn:${ctx.partition}:bedrock:${ctx.bedrockRegion}:${ctx.account}:application-inference-profile/*`;
}
