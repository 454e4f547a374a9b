import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OPENCLAW_SCHEMA_VENDOR_DIR, VendoredSchema, writeVendoredOpenClawSchema } from '@openclaw-tenancy/tenant-manifests';
import { OpenClawRuntime } from './ensure';
import { OPENCLAW_VERSION } from './layout';
import { CommandFailedError } from './process';
import { runOpenClawCli } from './run';

export const REGENERATE_COMMAND = 'npm run -w @openclaw-tenancy/openclaw-runtime vendor-schema';

/**
 * Runs the real `openclaw config schema --json` and hands its output to
 * tenant-manifests, which owns the vendored file and its README.
 *
 * The CLI runs in an empty sandbox (no config file, fresh HOME and state) so
 * the schema reflects the pinned release alone, not plugins or settings that
 * happen to be on the machine that regenerates it.
 */
export async function vendorConfigSchema(runtime: OpenClawRuntime, outDir: string = OPENCLAW_SCHEMA_VENDOR_DIR): Promise<VendoredSchema> {
  const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-runtime-schema-'));
  try {
    const openclawBuild = (await checkedCli(runtime, sandboxDir, ['--version'])).trim();
    if (!openclawBuild.includes(OPENCLAW_VERSION)) {
      throw new Error(`openclaw --version printed ${JSON.stringify(openclawBuild)}, expected version ${OPENCLAW_VERSION}`);
    }
    const printed = await checkedCli(runtime, sandboxDir, ['config', 'schema', '--json']);
    return writeVendoredOpenClawSchema(
      printed,
      {
        openclawBuild,
        openclawVersion: OPENCLAW_VERSION,
        nodeVersion: runtime.nodeVersion,
        regenerateCommand: REGENERATE_COMMAND,
        versionPinnedIn: 'packages/openclaw-runtime/src/layout.ts',
      },
      outDir,
    );
  } finally {
    fs.rmSync(sandboxDir, { recursive: true, force: true });
  }
}

async function checkedCli(runtime: OpenClawRuntime, sandboxDir: string, args: readonly string[]): Promise<string> {
  const result = await runOpenClawCli(args, { sandboxDir, runtime });
  if (result.exitCode !== 0) throw new CommandFailedError(`openclaw ${args.join(' ')}`, result);
  return result.stdout;
}
