/**
 * How the deployed functions are built from this package: one handler file per
 * platform function and the esbuild options in `bundling.json`. The CDK app
 * takes both from here, so it never needs to know this package's file layout;
 * the bundle test and bench load exactly such bundles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM_FUNCTIONS, PlatformFunction } from '@openclaw-tenancy/shared';

/** The folder of this package (this file sits at `src/`). */
export const LAMBDAS_PACKAGE_ROOT = path.resolve(__dirname, '..');

/** Source entry of every platform function. */
export type FunctionEntries = Readonly<Record<PlatformFunction, string>>;

/** `src/handlers/<function>.ts`, each exporting `handler`. */
export function handlerEntries(): FunctionEntries {
  const entries = {} as Record<PlatformFunction, string>;
  for (const fn of PLATFORM_FUNCTIONS) entries[fn] = path.join(LAMBDAS_PACKAGE_ROOT, 'src', 'handlers', `${fn}.ts`);
  return entries;
}

/** The esbuild options (`bundling.json`) every function is bundled with. */
export function bundlingOptions(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(LAMBDAS_PACKAGE_ROOT, 'bundling.json'), 'utf8')) as Record<string, unknown>;
}

/** Throws, naming every missing file, unless each entry exists. */
export function assertEntriesExist(entries: FunctionEntries): void {
  const missing = PLATFORM_FUNCTIONS.filter((fn) => !fs.existsSync(entries[fn]));
  if (missing.length > 0) {
    throw new Error(
      `missing Lambda handler file(s): ${missing.map((fn) => entries[fn]).join(', ')}; ` +
        'each platform function needs a handler file exporting `handler` (packages/lambdas/src/handlers/<function>.ts)',
    );
  }
}
