/**
 * Bedrock's control plane as the aws-sdk-client-mock of `BedrockClient` sees
 * it: a mutable set of application inference profiles behind
 * ListInferenceProfiles (paged), CreateInferenceProfile, ListTagsForResource
 * and DeleteInferenceProfile, so tests assert the exact commands while the
 * adapter sees consistent answers.
 */
import {
  BedrockClient,
  CreateInferenceProfileCommand,
  CreateInferenceProfileCommandInput,
  DeleteInferenceProfileCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import type { AwsStub } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';

export const ACCOUNT = '111111111111';

export interface FakeProfile {
  readonly name: string;
  readonly arn: string;
  readonly tags: Record<string, string>;
}

type BedrockMock = AwsStub<any, any, any>;

const notFound = () => Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });

/** The ARN the fake gives a profile (deterministic: tests can name it before it exists). */
export function fakeProfileArn(name: string, region = 'us-east-1'): string {
  return `arn:aws:bedrock:${region}:${ACCOUNT}:application-inference-profile/${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

export class BedrockProfilesFake {
  readonly profiles = new Map<string, FakeProfile>();
  /** Fails the next creates of these names once each (a crash in the middle of the step). */
  readonly failCreateOnce = new Set<string>();
  pageSize = 2;

  constructor(private readonly mock: BedrockMock) {
    this.install();
  }

  add(name: string, tags: Record<string, string>, arn = fakeProfileArn(name)): FakeProfile {
    const profile = { name, arn, tags };
    this.profiles.set(arn, profile);
    return profile;
  }

  install(): void {
    const mock = this.mock;
    // Listing is per region: the region of the client that asks.
    mock.on(ListInferenceProfilesCommand).callsFake(async (input: { nextToken?: string }, getClient: () => BedrockClient) => {
      const region = await getClient().config.region();
      const all = [...this.profiles.values()].filter((p) => p.arn.split(':')[3] === region).sort((a, b) => a.name.localeCompare(b.name));
      const offset = Number(input.nextToken ?? 0);
      const page = all.slice(offset, offset + this.pageSize);
      return {
        inferenceProfileSummaries: page.map((p) => ({
          inferenceProfileName: p.name,
          inferenceProfileArn: p.arn,
          inferenceProfileId: p.arn.split('/')[1],
          type: 'APPLICATION',
        })),
        ...(offset + this.pageSize < all.length ? { nextToken: String(offset + this.pageSize) } : {}),
      };
    });
    mock.on(CreateInferenceProfileCommand).callsFake(async (input: CreateInferenceProfileCommandInput, getClient: () => BedrockClient) => {
      const region = await getClient().config.region();
      const name = input.inferenceProfileName ?? '';
      if (this.failCreateOnce.delete(name)) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      if ([...this.profiles.values()].some((p) => p.name === name && p.arn.split(':')[3] === region))
        throw Object.assign(new Error('exists'), { name: 'ConflictException' });
      const profile = this.add(name, Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value])), fakeProfileArn(name, region));
      return { inferenceProfileArn: profile.arn, status: 'ACTIVE' };
    });
    mock.on(ListTagsForResourceCommand).callsFake((input: { resourceARN: string }) => {
      const profile = this.profiles.get(input.resourceARN);
      if (!profile) throw notFound();
      return { tags: Object.entries(profile.tags).map(([key, value]) => ({ key, value })) };
    });
    mock.on(DeleteInferenceProfileCommand).callsFake((input: { inferenceProfileIdentifier: string }) => {
      if (!this.profiles.delete(input.inferenceProfileIdentifier)) throw notFound();
      return {};
    });
  }
}

/** The region each recorded call's client was configured with. */
export async function regionsOf(calls: ReadonlyArray<{ thisValue: unknown }>): Promise<string[]> {
  return Promise.all(calls.map(async (c) => (c.thisValue as BedrockClient).config.region()));
}
