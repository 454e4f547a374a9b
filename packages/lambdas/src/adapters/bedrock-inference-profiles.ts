/**
 * The tenants' application inference profiles through the Bedrock control
 * plane (`@aws-sdk/client-bedrock`), in the region the platform config names
 * (`models.bedrockRegion`, which need not be the functions' own region).
 *
 * Profile ids are random and `ListInferenceProfiles` cannot filter by name or
 * tag, so profiles are found by listing the account's APPLICATION profiles
 * (paged) and matching the name; ownership is checked on the tags
 * (`ListTagsForResource`), because names of the form `openclaw-<id>-<alias>`
 * are not unique across tenants when aliases contain `-`.
 */
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { TAG_TENANT_NAMESPACE } from '@openclaw-tenancy/shared';
import { regionOfArn } from '../domain/bedrock-model-source';
import {
  EnsuredInferenceProfile,
  InferenceProfileDirectory,
  InferenceProfileNameTakenError,
  InferenceProfileSpec,
  InferenceProfiles,
  RemovedInferenceProfiles,
  TenantProfilesSelector,
} from '../ports/inference-profiles';
import { awsErrorName } from './aws-error-name';

/** ListInferenceProfiles' largest page. */
const PAGE_SIZE = 1000;

// The Bedrock client (~100 KB minified) is loaded on first use, not at cold start: the offboarder and the
// provisioner need it once per job, the cost enforcer only for registry records without profile ARNs.
type BedrockSdk = typeof import('./bedrock-sdk');
let sdkModule: Promise<BedrockSdk> | undefined;
const loadSdk = (): Promise<BedrockSdk> => (sdkModule ??= import('./bedrock-sdk.js'));

export class BedrockInferenceProfiles implements InferenceProfiles, InferenceProfileDirectory {
  private readonly clients = new Map<string, BedrockClient>();

  /** `clientFor(region)` builds the client of one region (once per region); by default `new BedrockClient({ region })`. */
  constructor(private readonly clientFor?: (region: string) => BedrockClient) {}

  async arnsByName(region: string): Promise<Map<string, string>> {
    const { ListInferenceProfilesCommand } = await loadSdk();
    const client = await this.client(region);
    const byName = new Map<string, string>();
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION', maxResults: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) }),
      );
      for (const p of page.inferenceProfileSummaries ?? []) {
        if (p.inferenceProfileName && p.inferenceProfileArn) byName.set(p.inferenceProfileName, p.inferenceProfileArn);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return byName;
  }

  async ensure(region: string, specs: readonly InferenceProfileSpec[]): Promise<EnsuredInferenceProfile[]> {
    if (specs.length === 0) return [];
    const { CreateInferenceProfileCommand } = await loadSdk();
    let existing = await this.arnsByName(region);
    const ensured: EnsuredInferenceProfile[] = [];
    for (const spec of specs) {
      const found = existing.get(spec.name);
      if (found && (await this.adopt(found, spec))) {
        ensured.push({ name: spec.name, arn: found, outcome: 'existed' });
        continue;
      }
      try {
        const created = await (
          await this.client(region)
        ).send(
          new CreateInferenceProfileCommand({
            inferenceProfileName: spec.name,
            clientRequestToken: spec.clientRequestToken,
            modelSource: { copyFrom: spec.copyFrom },
            tags: Object.entries(spec.tags).map(([key, value]) => ({ key, value })),
          }),
        );
        if (!created.inferenceProfileArn) throw new Error(`CreateInferenceProfile returned no ARN for ${spec.name}`);
        ensured.push({ name: spec.name, arn: created.inferenceProfileArn, outcome: 'created' });
      } catch (e) {
        // Created meanwhile under the same name (a concurrent delivery of the same job): adopt it if it is ours.
        if (awsErrorName(e) !== 'ConflictException') throw e;
        existing = await this.arnsByName(region);
        const raced = existing.get(spec.name);
        if (!raced || !(await this.adopt(raced, spec))) throw e;
        ensured.push({ name: spec.name, arn: raced, outcome: 'existed' });
      }
    }
    return ensured;
  }

  async removeTenantProfiles(region: string, selector: TenantProfilesSelector): Promise<RemovedInferenceProfiles> {
    const { DeleteInferenceProfileCommand } = await loadSdk();
    const candidates = new Set<string>(selector.knownArns);
    for (const [name, arn] of await this.arnsByName(region)) if (name.startsWith(selector.namePrefix)) candidates.add(arn);
    const deleted: string[] = [];
    const notTheTenants: string[] = [];
    for (const arn of [...candidates].sort()) {
      const namespace = await this.namespaceTag(arn);
      if (namespace === null) continue; // already gone
      if (namespace !== selector.namespace) {
        notTheTenants.push(arn);
        continue;
      }
      try {
        await (await this.client(regionOfArn(arn))).send(new DeleteInferenceProfileCommand({ inferenceProfileIdentifier: arn }));
        deleted.push(arn);
      } catch (e) {
        if (awsErrorName(e) !== 'ResourceNotFoundException') throw e;
      }
    }
    return { deleted, notTheTenants };
  }

  /** The profile's `tenant-namespace` tag; undefined when it has none, null when the profile does not exist. */
  private async namespaceTag(arn: string): Promise<string | undefined | null> {
    const { ListTagsForResourceCommand } = await loadSdk();
    try {
      const { tags } = await (await this.client(regionOfArn(arn))).send(new ListTagsForResourceCommand({ resourceARN: arn }));
      return tags?.find((t) => t.key === TAG_TENANT_NAMESPACE)?.value;
    } catch (e) {
      if (awsErrorName(e) === 'ResourceNotFoundException') return null;
      throw e;
    }
  }

  /** True when the listed profile is this tenant's; false when it is gone since; throws when it is somebody else's. */
  private async adopt(arn: string, spec: InferenceProfileSpec): Promise<boolean> {
    const namespace = await this.namespaceTag(arn);
    if (namespace === null) return false;
    if (namespace !== spec.tags[TAG_TENANT_NAMESPACE]) throw new InferenceProfileNameTakenError(spec.name, arn, namespace);
    return true;
  }

  private async client(region: string): Promise<BedrockClient> {
    let client = this.clients.get(region);
    if (!client) {
      client = this.clientFor ? this.clientFor(region) : new (await loadSdk()).BedrockClient({ region });
      this.clients.set(region, client);
    }
    return client;
  }
}
