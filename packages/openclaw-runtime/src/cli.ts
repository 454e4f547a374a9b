/**
 * Usage: npx tsx packages/openclaw-runtime/src/cli.ts ensure|print-paths|schema
 *
 * Progress goes to stderr; `print-paths` writes JSON to stdout so scripts can
 * consume it, e.g. `… print-paths | jq -r .nodeBinary`.
 */
import * as path from 'node:path';
import { ensureOpenClawRuntime } from './ensure';
import { REPO_ROOT } from './layout';
import { vendorConfigSchema } from './schema';

const USAGE = 'usage: cli.ts ensure|print-paths|schema';

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'ensure':
      await ensureOpenClawRuntime();
      return;
    case 'print-paths':
      process.stdout.write(`${JSON.stringify(await ensureOpenClawRuntime(), null, 2)}\n`);
      return;
    case 'schema': {
      const vendored = await vendorConfigSchema(await ensureOpenClawRuntime());
      const shown = (file: string): string => path.relative(REPO_ROOT, file);
      process.stderr.write(
        `[openclaw-runtime] schema: wrote ${shown(vendored.schemaPath)} (${vendored.bytes} bytes, ${vendored.openclawBuild}) and ${shown(vendored.readmePath)}\n`,
      );
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`[openclaw-runtime] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
