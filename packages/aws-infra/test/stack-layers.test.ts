import { Stack } from 'aws-cdk-lib';
import { PLATFORM_STACK_LAYERS, platformStackName, platformStackRegion } from '@openclaw-tenancy/shared';
import { synthesizePlatform } from './support/platform';

describe('the platform stacks and the order `platform-admin destroy` deletes them in', () => {
  const { app, stacks, config } = synthesizePlatform();
  // Cross-stack references become dependencies while the app is prepared for synthesis.
  app.synth();
  const all = Object.values(stacks) as Stack[];
  const layerOf = (stack: Stack) => PLATFORM_STACK_LAYERS.find((l) => platformStackName(config.platformName, l) === stack.stackName);

  it('are exactly the layers shared names, each in its region', () => {
    expect(all.map((s) => layerOf(s)).sort()).toEqual([...PLATFORM_STACK_LAYERS].sort());
    for (const stack of all) expect(stack.region).toBe(platformStackRegion(layerOf(stack)!, config.aws.region));
  });

  it('each depends only on layers before it, so deleting in reverse order never removes an export still imported', () => {
    expect(stacks.edge.dependencies.map((d) => d.stackName)).toEqual(
      expect.arrayContaining([platformStackName(config.platformName, 'cluster'), platformStackName(config.platformName, 'control-plane')]),
    );
    for (const stack of all) {
      const position = PLATFORM_STACK_LAYERS.indexOf(layerOf(stack)!);
      for (const dependency of stack.dependencies) {
        expect({
          stack: stack.stackName,
          dependsOn: dependency.stackName,
          deployedBefore: PLATFORM_STACK_LAYERS.indexOf(layerOf(dependency)!) < position,
        }).toEqual({
          stack: stack.stackName,
          dependsOn: dependency.stackName,
          deployedBefore: true,
        });
      }
    }
  });
});
