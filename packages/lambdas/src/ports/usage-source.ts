export interface ModelUsage {
  readonly modelAlias: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A tenant as the registry has it: its id and, once provisioned, its profile ARNs (alias → ARN). */
export interface TenantProfileRefs {
  readonly id: string;
  readonly inferenceProfiles?: Readonly<Record<string, string>>;
}

/** Bedrock token usage per tenant. */
export interface UsageSource {
  /**
   * Usage from the first day of `until`'s month (UTC) until `until`, per
   * tenant id; tenants without usage may be absent. `bedrockRegion`
   * (`models.bedrockRegion`) is where profiles the registry does not record are looked up.
   */
  monthToDate(tenants: readonly TenantProfileRefs[], until: Date, bedrockRegion: string): Promise<Map<string, ModelUsage[]>>;
}
