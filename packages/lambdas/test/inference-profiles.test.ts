/**
 * The InferenceProfiles port's contract, held by both adapters: Bedrock's
 * (aws-sdk-client-mock at the SDK boundary, exact commands) and the in-memory
 * stand-in the local platform runs with (deterministic fake ARNs).
 */
import './support/aws-test-env';
import {
  BedrockClient,
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { APPLICATION_INFERENCE_PROFILE_ARN } from '@openclaw-tenancy/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { BedrockInferenceProfiles } from '../src/adapters/bedrock-inference-profiles';
import { InferenceProfileSpec, InferenceProfiles } from '../src/ports/inference-profiles';
import { InMemoryInferenceProfiles } from '../src/adapters/in-memory-inference-profiles';
import { BedrockProfilesFake } from './support/bedrock-profiles-mock';

const bedrock = mockClient(BedrockClient);
const REGION = 'us-east-1';
const tags = (id: string) => ({ tenant: id, 'tenant-namespace': `openclaw-${id}` });
const spec = (id: string, alias: string): InferenceProfileSpec => ({
  name: `openclaw-${id}-${alias}`,
  copyFrom: `arn:aws:bedrock:${REGION}::foundation-model/${alias}`,
  tags: tags(id),
  clientRequestToken: `${id}${alias}`,
});

describe.each([
  ['Bedrock (SDK mock)', () => new BedrockInferenceProfiles()],
  ['in memory (local platform)', () => new InMemoryInferenceProfiles('111111111111')],
] as const)('InferenceProfiles: %s', (_name, make) => {
  let adapter: InferenceProfiles & { arnsByName(region: string): Promise<Map<string, string>> };
  beforeEach(() => {
    bedrock.reset();
    new BedrockProfilesFake(bedrock);
    adapter = make();
  });

  it('creates each profile once and finds it by name afterwards, with application-profile ARNs', async () => {
    const first = await adapter.ensure(REGION, [spec('jane', 'opus'), spec('jane', 'sonnet')]);
    expect(first.map((p) => [p.name, p.outcome])).toEqual([
      ['openclaw-jane-opus', 'created'],
      ['openclaw-jane-sonnet', 'created'],
    ]);
    for (const p of first) expect(p.arn).toMatch(APPLICATION_INFERENCE_PROFILE_ARN);
    expect(first[0]?.arn).toContain(`:bedrock:${REGION}:111111111111:application-inference-profile/`);
    const again = await adapter.ensure(REGION, [spec('jane', 'opus'), spec('jane', 'sonnet'), spec('jane', 'deepseek')]);
    expect(again.map((p) => p.outcome)).toEqual(['existed', 'existed', 'created']);
    expect(again.slice(0, 2).map((p) => p.arn)).toEqual(first.map((p) => p.arn));
    expect([...(await adapter.arnsByName(REGION)).keys()].sort()).toEqual([
      'openclaw-jane-deepseek',
      'openclaw-jane-opus',
      'openclaw-jane-sonnet',
    ]);
    expect((await adapter.arnsByName('eu-west-1')).size).toBe(0);
  });

  it("refuses to adopt a profile of the tenant's name tagged with another namespace", async () => {
    await adapter.ensure(REGION, [{ ...spec('jane', 'opus'), tags: tags('jane-x') }]);
    await expect(adapter.ensure(REGION, [spec('jane', 'opus')])).rejects.toMatchObject({
      name: 'InferenceProfileNameTakenError',
      message: expect.stringContaining('is tagged tenant-namespace=openclaw-jane-x'),
    });
  });

  it('deletes only the profiles tagged with the namespace, by name prefix and by known ARN, and tolerates gone ones', async () => {
    const [opus, sonnet] = await adapter.ensure(REGION, [spec('jane', 'opus'), spec('jane', 'sonnet')]);
    const [other] = await adapter.ensure(REGION, [spec('jane-2', 'opus')]);
    const gone = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/0000deadbeef';
    const removed = await adapter.removeTenantProfiles(REGION, {
      namespace: 'openclaw-jane',
      namePrefix: 'openclaw-jane-',
      knownArns: [opus?.arn ?? '', gone],
    });
    expect(new Set(removed.deleted)).toEqual(new Set([opus?.arn, sonnet?.arn]));
    expect(removed.notTheTenants).toEqual([other?.arn]);
    expect([...(await adapter.arnsByName(REGION)).keys()]).toEqual(['openclaw-jane-2-opus']);
    // Again: nothing left to delete.
    expect(
      await adapter.removeTenantProfiles(REGION, {
        namespace: 'openclaw-jane',
        namePrefix: 'openclaw-jane-',
        knownArns: [opus?.arn ?? ''],
      }),
    ).toEqual({ deleted: [], notTheTenants: [other?.arn] });
  });
});

describe('Bedrock adapter specifics', () => {
  beforeEach(() => bedrock.reset());

  it('tolerates a profile deleted between its tag check and its deletion', async () => {
    const fake = new BedrockProfilesFake(bedrock);
    const profile = fake.add('openclaw-jane-opus', tags('jane'));
    bedrock.on(DeleteInferenceProfileCommand).rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    await expect(
      new BedrockInferenceProfiles().removeTenantProfiles(REGION, {
        namespace: 'openclaw-jane',
        namePrefix: 'openclaw-jane-',
        knownArns: [],
      }),
    ).resolves.toEqual({
      deleted: [],
      notTheTenants: [],
    });
    expect(bedrock.commandCalls(DeleteInferenceProfileCommand).map((c) => c.args[0].input)).toEqual([
      { inferenceProfileIdentifier: profile.arn },
    ]);
    expect(bedrock.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([{ resourceARN: profile.arn }]);
  });

  it('passes other errors through (a throttled create fails the job, which SQS retries)', async () => {
    new BedrockProfilesFake(bedrock);
    bedrock.on(CreateInferenceProfileCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(new BedrockInferenceProfiles().ensure(REGION, [spec('jane', 'opus')])).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('builds one client per region, in that region', async () => {
    new BedrockProfilesFake(bedrock);
    const regions: string[] = [];
    const adapter = new BedrockInferenceProfiles((region) => {
      regions.push(region);
      return new BedrockClient({ region });
    });
    await adapter.ensure('us-east-1', [spec('jane', 'opus')]);
    await adapter.ensure('us-east-1', [spec('jane', 'sonnet')]);
    await adapter.removeTenantProfiles('us-west-2', { namespace: 'openclaw-jane', namePrefix: 'openclaw-jane-', knownArns: [] });
    expect(regions).toEqual(['us-east-1', 'us-west-2']);
  });
});
