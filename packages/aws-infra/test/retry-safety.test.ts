import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { SynthesizedPlatform, synthesizePlatform } from './support/platform';

/**
 * Types CloudFormation can adopt on a retry (`cdk deploy --import-existing-resources`
 * → CreateChangeSet ImportExistingResources: resources with custom names whose
 * type supports import). Source: AWS CloudFormation User Guide, "Resource type support".
 */
const IMPORTABLE_NAMED_TYPES = new Set(['AWS::Logs::LogGroup', 'AWS::Backup::BackupVault']);
/** Types whose name need not be unique, so a retained one never collides with its retry. */
const NAMES_NOT_UNIQUE = new Set(['AWS::Cognito::UserPool']);

const GUIDE = path.join(REPOSITORY_ROOT, 'docs', 'operations', 'README.md');

interface NamedRetained {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
}

/** Resources kept when a stack rolls back or is deleted, whose fixed name a retry would create again. */
function namedRetainedResources(platform: SynthesizedPlatform): NamedRetained[] {
  return Object.values(platform.stacks).flatMap((stack: Stack) =>
    Object.values<any>(platform.template(stack).toJSON().Resources).flatMap((r) => {
      if (r.DeletionPolicy !== 'Retain' || NAMES_NOT_UNIQUE.has(r.Type)) return [];
      return Object.entries<any>(r.Properties ?? {})
        .filter(([key, value]) => /Name$/.test(key) && typeof value === 'string')
        .map(([, value]) => ({ stack: stack.stackName, type: r.Type as string, name: value as string }));
    }),
  );
}

describe('a first deploy that can be retried', () => {
  let platform: SynthesizedPlatform;
  beforeAll(() => {
    platform = synthesizePlatform();
  });

  test('every retained resource with a fixed name is of a type a retry adopts instead of failing with "already exists"', () => {
    const named = namedRetainedResources(platform);
    // The EKS control-plane and Container Insights groups have names EKS and the agent write to.
    expect(named.map((n) => n.name)).toEqual(
      expect.arrayContaining(['/aws/eks/openclaw/cluster', '/aws/containerinsights/openclaw/application']),
    );
    expect(named.filter((n) => !IMPORTABLE_NAMED_TYPES.has(n.type))).toEqual([]);
  });

  test('the guide deploys with --import-existing-resources, so those are adopted on a retry', () => {
    const deploys = fs
      .readFileSync(GUIDE, 'utf8')
      .split('\n')
      .filter((line) => /\bnpx cdk deploy\b/.test(line));
    expect(deploys.length).toBeGreaterThan(0);
    for (const line of deploys) expect(line).toContain('--import-existing-resources');
  });

  test('fails if a retained, fixed-name resource of another type appears', () => {
    // GIVEN a synthesized template with a retained, named queue
    const stack = platform.stacks.alerts;
    const template = platform.template(stack).toJSON();
    template.Resources.Extra = { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain', Properties: { QueueName: 'openclaw-fixed' } };
    const fake = { ...platform, template: (s: Stack) => (s === stack ? ({ toJSON: () => template } as any) : platform.template(s)) };
    // THEN it is reported
    expect(namedRetainedResources(fake).filter((n) => !IMPORTABLE_NAMED_TYPES.has(n.type))).toEqual([
      { stack: stack.stackName, type: 'AWS::SQS::Queue', name: 'openclaw-fixed' },
    ]);
  });
});
