import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { PLATFORM_STACK_LAYERS, platformStackName, tombstoneTenant } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { AwsStackTeardown } from '../../src/destroy/stack-teardown';
import { EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';
import { AdminFixture, captureIo, startAdminFixture, tenant } from '../support/lifecycle-fixture';

jest.setTimeout(60_000);

const cfn = mockClient(CloudFormationClient);
const notFound = (name: string) => Object.assign(new Error(`Stack with id ${name} does not exist`), { name: 'ValidationError' });

/** Stacks CloudFormation holds, by name; each template keeps what its retained resources name. */
type Stacks = Map<string, { status: string; region: string; retained: Record<string, { type: string; physicalId: string }> }>;

/** CloudFormation at the SDK boundary: describe, template, resources, and a deletion that completes at the next look. */
function cloudFormation(stacks: Stacks, options: { failDeleting?: string } = {}): { deleted: string[]; regions: string[] } {
  const deleted: string[] = [];
  const regions: string[] = [];
  cfn.reset();
  cfn.on(DescribeStacksCommand).callsFake(async (input: { StackName: string }, getClient) => {
    regions.push(`${input.StackName} ${await getClient().config.region()}`);
    const stack = stacks.get(input.StackName);
    if (!stack) throw notFound(input.StackName);
    return {
      Stacks: [
        {
          StackName: input.StackName,
          StackStatus: stack.status,
          CreationTime: new Date(0),
          ...(stack.status === 'DELETE_FAILED' ? { StackStatusReason: 'The bucket you tried to delete is not empty' } : {}),
        },
      ],
    };
  });
  cfn.on(GetTemplateCommand).callsFake(async (input: { StackName: string }) => {
    const stack = stacks.get(input.StackName);
    const resources = Object.fromEntries([
      ['Function', { Type: 'AWS::Lambda::Function' }],
      ...Object.entries(stack?.retained ?? {}).map(([id, r]) => [id, { Type: r.type, DeletionPolicy: 'Retain' }]),
    ]);
    return { TemplateBody: JSON.stringify({ Resources: resources }) };
  });
  cfn.on(ListStackResourcesCommand).callsFake(async (input: { StackName: string }) => ({
    StackResourceSummaries: Object.entries(stacks.get(input.StackName)?.retained ?? {}).map(([id, r]) => ({
      LogicalResourceId: id,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(0),
    })),
  }));
  cfn.on(DeleteStackCommand).callsFake(async (input: { StackName: string }) => {
    deleted.push(input.StackName);
    const stack = stacks.get(input.StackName);
    if (!stack) return {};
    if (input.StackName === options.failDeleting) stack.status = 'DELETE_FAILED';
    else stacks.delete(input.StackName);
    return {};
  });
  return { deleted, regions };
}

/** What the data and control-plane templates keep (a part of it): the backup vault and the user pool. */
const RETAINED: Readonly<Record<string, Record<string, { type: string; physicalId: string }>>> = {
  data: { Vault: { type: 'AWS::Backup::BackupVault', physicalId: 'openclaw-tenant-data' } },
  'control-plane': { Users: { type: 'AWS::Cognito::UserPool', physicalId: 'eu-west-1_Ex4mpleP0' } },
};

function allStacks(fx: AdminFixture): Stacks {
  return new Map(
    PLATFORM_STACK_LAYERS.map((layer) => [
      platformStackName(fx.config.platformName, layer),
      { status: 'UPDATE_COMPLETE', region: layer === 'waf' ? 'us-east-1' : fx.config.aws.region, retained: { ...RETAINED[layer] } },
    ]),
  );
}

describe('destroy (CloudFormation at the SDK boundary, the registry in a real Git remote)', () => {
  let fx: AdminFixture;
  beforeEach(async () => {
    fx = await startAdminFixture();
  });
  afterEach(async () => fx.close());

  async function destroy(...args: string[]) {
    const io = captureIo();
    const code = await runLifecycleCommand('destroy', [...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
      baseDir: process.cwd(),
      stdout: io.stdout,
      stderr: io.stderr,
      destroyPortsFor: (config) => ({ config, repository: fx.repository, renderer: fx.ports.renderer, stacks: new AwsStackTeardown() }),
      sleep: async () => undefined,
      pollIntervalMs: 0,
    });
    return { code, out: io.out(), err: io.err() };
  }

  it('refuses while a tenant is not offboarded, naming it, and deletes nothing', async () => {
    await fx.seed([tenant('alice', 'owner-alice-0001'), tombstoneTenant(tenant('bob', 'owner-bob-0002'), new Date(), 'left')]);
    const { deleted } = cloudFormation(allStacks(fx));
    const r = await destroy('--confirm', fx.config.platformName);
    expect(r.code).toBe(EXIT_CODES.refused);
    expect(r.err).toMatch(/1 tenant\(s\) are not offboarded \(alice\): offboard each first \(platform-admin offboard <id>\)/);
    expect(deleted).toEqual([]);
  });

  it('without --confirm <platformName> (or with another name) changes nothing and says how to go on', async () => {
    const { deleted } = cloudFormation(allStacks(fx));
    for (const args of [[], ['--confirm', 'other-platform']]) {
      const r = await destroy(...args);
      expect(r.code).toBe(EXIT_CODES.usage);
      expect(r.err).toMatch(/repeat its name with --confirm openclaw, or look first with --dry-run/);
    }
    expect(deleted).toEqual([]);
  });

  it('--dry-run: the stacks in reverse deploy order, each in its region, and what their templates keep', async () => {
    const { deleted, regions } = cloudFormation(allStacks(fx));
    const r = await destroy('--dry-run', '--json');
    expect(r.code).toBe(EXIT_CODES.ok);
    const plan = JSON.parse(r.out);
    expect(plan.stacks.map((s: { name: string }) => s.name)).toEqual(
      [...PLATFORM_STACK_LAYERS].reverse().map((l) => platformStackName(fx.config.platformName, l)),
    );
    expect(plan.kept).toEqual([
      { stack: 'openclaw-control-plane', type: 'AWS::Cognito::UserPool', logicalId: 'Users', physicalId: 'eu-west-1_Ex4mpleP0' },
      { stack: 'openclaw-data', type: 'AWS::Backup::BackupVault', logicalId: 'Vault', physicalId: 'openclaw-tenant-data' },
    ]);
    expect(regions).toContain('openclaw-waf us-east-1');
    expect(regions).toContain(`openclaw-cluster ${fx.config.aws.region}`);
    expect(deleted).toEqual([]);
  });

  it('deletes every stack in reverse order, waiting for each; run again, it finds nothing left', async () => {
    const stacks = allStacks(fx);
    const { deleted } = cloudFormation(stacks);
    const r = await destroy('--confirm', fx.config.platformName);
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(deleted).toEqual([...PLATFORM_STACK_LAYERS].reverse().map((l) => platformStackName(fx.config.platformName, l)));
    expect(r.out).toMatch(/^deleted openclaw-audit \(eu-west-1\)\n/);
    expect(r.out).toMatch(/ {2}AWS::Cognito::UserPool eu-west-1_Ex4mpleP0 \(openclaw-control-plane\): the users; deletion protection/);
    expect(stacks.size).toBe(0);
    const again = await destroy('--confirm', fx.config.platformName, '--json');
    expect(JSON.parse(again.out).stacks.every((s: { outcome: string }) => s.outcome === 'absent')).toBe(true);
  });

  it('stops at a stack CloudFormation cannot delete, naming why and what is gone; a re-run continues with the rest', async () => {
    const stacks = allStacks(fx);
    const { deleted } = cloudFormation(stacks, { failDeleting: 'openclaw-data' });
    const r = await destroy('--confirm', fx.config.platformName);
    expect(r.code).toBe(EXIT_CODES.failed);
    expect(r.err).toMatch(
      /stack openclaw-data could not be deleted: The bucket you tried to delete is not empty\. Deleted so far: openclaw-audit, openclaw-edge, openclaw-control-plane; fix the cause and run destroy again/,
    );
    expect(deleted.at(-1)).toBe('openclaw-data');
    expect(stacks.has('openclaw-cluster')).toBe(true);

    // The cause fixed (the stack can go now): the next run deletes what is left, from where it stopped.
    const retry = cloudFormation(stacks);
    (stacks.get('openclaw-data') as { status: string }).status = 'DELETE_FAILED';
    expect((await destroy('--confirm', fx.config.platformName)).code).toBe(EXIT_CODES.ok);
    expect(retry.deleted).toEqual(['openclaw-data', 'openclaw-cluster', 'openclaw-alerts', 'openclaw-network', 'openclaw-waf']);
  });
});
