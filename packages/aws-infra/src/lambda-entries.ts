/**
 * Where the handler of each platform function lives. The handlers are written
 * in `packages/lambdas` (one file per function exporting `handler`); the CDK
 * app only points esbuild at them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM_FUNCTIONS, PlatformFunction } from '@openclaw-tenancy/shared';

/** Source entry of every platform function. */
export type FunctionEntries = Readonly<Record<PlatformFunction, string>>;

function lambdaPackageRoot(): string {
  return path.dirname(require.resolve('@openclaw-tenancy/lambdas/package.json'));
}

/**
 * The esbuild options the lambdas package bundles its handlers with
 * (`bundling.json`): its bundle test loads exactly such bundles, so the
 * deployed code is the tested code.
 */
export function lambdaPackageBundling(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(lambdaPackageRoot(), 'bundling.json'), 'utf8')) as Record<string, unknown>;
}

/** The handlers of `@openclaw-tenancy/lambdas`: `src/handlers/<function>.ts`. */
export function lambdaPackageEntries(): FunctionEntries {
  const root = lambdaPackageRoot();
  const entries = {} as Record<PlatformFunction, string>;
  for (const fn of PLATFORM_FUNCTIONS) entries[fn] = path.join(root, 'src', 'handlers', `${fn}.ts`);
  return entries;
}

/** Throws, naming every missing file, unless each entry exists. */
export function assertEntriesExist(entries: FunctionEntries): void {
  const missing = PLATFORM_FUNCTIONS.filter((fn) => !fs.existsSync(entries[fn]));
  if (missing.length > 0) {
    throw new Error(
      `missing Lambda handler file(s): ${missing.map((fn) => entries[fn]).join(', ')}; ` +
        'each platform function needs packages/lambdas/src/handlers/<function>.ts exporting `handler`',
    );
  }
}
