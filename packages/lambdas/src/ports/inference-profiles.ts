/**
 * The tenants' Bedrock application inference profiles (ADR 0102, ADR 0203):
 * one per tenant and catalog model, tagged with the tenant and its namespace.
 * The tenant role may invoke models only through profiles tagged with its own
 * namespace, so without them a tenant cannot use Bedrock at all. Bedrock in
 * AWS; the local platform has no Bedrock and uses an in-memory stand-in with
 * deterministic fake ARNs (`src/adapters/in-memory-inference-profiles.ts`).
 */

export interface InferenceProfileSpec {
  /** `tenantNames(id).inferenceProfileName(alias)`; unique per account and region. */
  readonly name: string;
  /** ARN of the foundation model or system-defined inference profile the profile copies (`modelSource.copyFrom`). */
  readonly copyFrom: string;
  /** `tenant` and `tenant-namespace`: what the tenant role's ABAC condition matches on. */
  readonly tags: Readonly<Record<string, string>>;
  /** Derived from tenant and alias, so a retried create returns the profile the first attempt made. */
  readonly clientRequestToken: string;
}

export interface EnsuredInferenceProfile {
  readonly name: string;
  /** `arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>` */
  readonly arn: string;
  readonly outcome: 'created' | 'existed';
}

export interface TenantProfilesSelector {
  /** Only profiles whose `tenant-namespace` tag equals this are ever deleted. */
  readonly namespace: string;
  /** Profiles of this name prefix (`openclaw-<id>-`) in the region are candidates … */
  readonly namePrefix: string;
  /** … and so are these ARNs (the registry's record of them), in whatever region they are. */
  readonly knownArns: readonly string[];
}

export interface RemovedInferenceProfiles {
  readonly deleted: readonly string[];
  /** Candidates not tagged with the namespace (another tenant's profile whose name shares the prefix): left alone. */
  readonly notTheTenants: readonly string[];
}

export interface InferenceProfiles {
  /**
   * Returns every profile of `specs` (same order), found by name or created.
   * A profile of that name tagged with another namespace is never adopted:
   * {@link InferenceProfileNameTakenError}.
   */
  ensure(region: string, specs: readonly InferenceProfileSpec[]): Promise<EnsuredInferenceProfile[]>;
  /** Deletes the tenant's profiles (only those tagged with its namespace); already-gone ones are fine. */
  removeTenantProfiles(region: string, selector: TenantProfilesSelector): Promise<RemovedInferenceProfiles>;
}

/** Resolves profile names to ARNs (the cost enforcer's fallback for registry records without ARNs). */
export interface InferenceProfileDirectory {
  /** Name → ARN of every application inference profile in `region`. */
  arnsByName(region: string): Promise<Map<string, string>>;
}

export class InferenceProfileNameTakenError extends Error {
  constructor(
    readonly profileName: string,
    readonly arn: string,
    readonly taggedNamespace: string | undefined,
  ) {
    super(
      `the application inference profile ${profileName} (${arn}) exists but is tagged tenant-namespace=${taggedNamespace ?? '(none)'}; ` +
        'it is never adopted for another tenant (an operator must resolve the name clash)',
    );
    this.name = 'InferenceProfileNameTakenError';
  }
}
