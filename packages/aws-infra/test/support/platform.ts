/**
 * Builds the platform for tests: the committed example config, the feature
 * flags and context of cdk.json/cdk.context.json (so tests see what `cdk
 * synth` sees), stand-in handlers and auth UI, and no asset bundling
 * (bundling is covered by the bench and by `nx run aws-infra:synth`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PLATFORM_FUNCTIONS, PlatformConfig } from '@openclaw-tenancy/shared';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigText } from '@openclaw-tenancy/tenant-manifests';
import { FunctionEntries } from '@openclaw-tenancy/lambdas';
import { PlatformStacks, createPlatform } from '../../src';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(PACKAGE_ROOT, 'test', 'fixtures');
export const FIXTURE_AUTH_UI = path.join(FIXTURES, 'auth-ui-dist');
export const FIXTURE_ENTRIES = Object.fromEntries(
  PLATFORM_FUNCTIONS.map((fn) => [fn, path.join(FIXTURES, 'handlers', `${fn}.ts`)]),
) as unknown as FunctionEntries;

/** The example config as a plain object, to be edited by a test. */
export function exampleRawConfig(): Record<string, any> {
  return parseYaml(fs.readFileSync(EXAMPLE_PLATFORM_CONFIG, 'utf8')) as Record<string, any>;
}

/** The example config after an edit, validated exactly as the app validates it. */
export function configWith(edit: (raw: Record<string, any>) => void = () => undefined): PlatformConfig {
  const raw = exampleRawConfig();
  edit(raw);
  return loadPlatformConfigText(stringifyYaml(raw), 'test config');
}

/** An App with the context `cdk synth` would give it. */
export function testApp(): App {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const lookups = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'cdk.context.json'), 'utf8')) as Record<string, unknown>;
  return new App({ context: { ...cdkJson.context, ...lookups, 'aws:cdk:bundling-stacks': [] } });
}

export interface SynthesizedPlatform {
  readonly app: App;
  readonly config: PlatformConfig;
  readonly stacks: PlatformStacks;
  template(stack: Stack): Template;
}

/** The whole platform for `config`; templates are synthesized once per stack and cached. */
export function synthesizePlatform(config: PlatformConfig = configWith()): SynthesizedPlatform {
  const app = testApp();
  const stacks = createPlatform(app, config, { functionEntries: FIXTURE_ENTRIES, authUiDirectory: FIXTURE_AUTH_UI });
  const cache = new Map<Stack, Template>();
  return {
    app,
    config,
    stacks,
    template(stack) {
      let t = cache.get(stack);
      if (!t) {
        t = Template.fromStack(stack);
        cache.set(stack, t);
      }
      return t;
    },
  };
}

/** Every resource of `type` in a template, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): [string, any][] {
  return Object.entries(template.findResources(type));
}

/** All IAM policy statements (inline role policies and AWS::IAM::Policy) of a template. */
export function policyStatements(template: Template): any[] {
  const statements: any[] = [];
  for (const [, policy] of resourcesOf(template, 'AWS::IAM::Policy')) statements.push(...policy.Properties.PolicyDocument.Statement);
  for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) {
    for (const p of role.Properties.Policies ?? []) statements.push(...p.PolicyDocument.Statement);
  }
  return statements;
}

export const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** A string property that may be an Fn::Join with tokens, with each token replaced by `<token>`. */
export function flattenJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) return '<token>';
  return join[1].map((part) => (typeof part === 'string' ? part : '<token>')).join(join[0]);
}
