/**
 * A stand-in for Bedrock's application inference profiles, for tests and the
 * local platform (which has no Bedrock): profiles live in memory, ARNs are
 * deterministic (`…:application-inference-profile/<12 hex of sha256(region, name)>`),
 * tags are kept and checked exactly as the Bedrock adapter checks them.
 */
import { createHash } from 'node:crypto';
import { TAG_TENANT_NAMESPACE } from '@openclaw-tenancy/shared';
import { partitionOfRegion, regionOfArn } from '../domain/bedrock-model-source';
import {
  EnsuredInferenceProfile,
  InferenceProfileDirectory,
  InferenceProfileNameTakenError,
  InferenceProfileSpec,
  InferenceProfiles,
  RemovedInferenceProfiles,
  TenantProfilesSelector,
} from '../ports/inference-profiles';

export interface InMemoryInferenceProfile {
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly copyFrom: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class InMemoryInferenceProfiles implements InferenceProfiles, InferenceProfileDirectory {
  /** By ARN. */
  readonly profiles = new Map<string, InMemoryInferenceProfile>();
  /** Every create and delete, in order (for assertions). */
  readonly calls: Array<{ readonly op: 'create' | 'delete'; readonly arn: string }> = [];

  /** @param account the account the fake ARNs name (the local platform passes `aws.account` of its config). */
  constructor(private readonly account = '000000000000') {}

  /** The ARN a profile of `name` gets in `region`: the same for the same inputs, on every run. */
  arnFor(region: string, name: string): string {
    const id = createHash('sha256').update(`${region}\u0000${name}`).digest('hex').slice(0, 12);
    return `arn:${partitionOfRegion(region)}:bedrock:${region}:${this.account}:application-inference-profile/${id}`;
  }

  async arnsByName(region: string): Promise<Map<string, string>> {
    return new Map([...this.profiles.values()].filter((p) => p.region === region).map((p) => [p.name, p.arn]));
  }

  async ensure(region: string, specs: readonly InferenceProfileSpec[]): Promise<EnsuredInferenceProfile[]> {
    return specs.map((spec) => {
      const existing = [...this.profiles.values()].find((p) => p.region === region && p.name === spec.name);
      if (existing) {
        const namespace = existing.tags[TAG_TENANT_NAMESPACE];
        if (namespace !== spec.tags[TAG_TENANT_NAMESPACE]) throw new InferenceProfileNameTakenError(spec.name, existing.arn, namespace);
        return { name: spec.name, arn: existing.arn, outcome: 'existed' as const };
      }
      const arn = this.arnFor(region, spec.name);
      this.profiles.set(arn, { region, name: spec.name, arn, copyFrom: spec.copyFrom, tags: { ...spec.tags } });
      this.calls.push({ op: 'create', arn });
      return { name: spec.name, arn, outcome: 'created' as const };
    });
  }

  async removeTenantProfiles(region: string, selector: TenantProfilesSelector): Promise<RemovedInferenceProfiles> {
    const candidates = new Set(selector.knownArns);
    for (const p of this.profiles.values()) if (p.region === region && p.name.startsWith(selector.namePrefix)) candidates.add(p.arn);
    const deleted: string[] = [];
    const notTheTenants: string[] = [];
    for (const arn of [...candidates].sort()) {
      const profile = this.profiles.get(arn);
      if (!profile || profile.region !== regionOfArn(arn)) continue;
      if (profile.tags[TAG_TENANT_NAMESPACE] !== selector.namespace) {
        notTheTenants.push(arn);
        continue;
      }
      this.profiles.delete(arn);
      this.calls.push({ op: 'delete', arn });
      deleted.push(arn);
    }
    return { deleted, notTheTenants };
  }
}
