export interface ModelUsage {
  readonly modelAlias: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Bedrock token usage per tenant. */
export interface UsageSource {
  /** Usage from the first day of `month` (UTC) until `until`, per tenant id; tenants without usage may be absent. */
  monthToDate(tenantIds: readonly string[], until: Date): Promise<Map<string, ModelUsage[]>>;
}
