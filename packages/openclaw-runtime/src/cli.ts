/**
 * The openclaw-runtime command line; `--help` lists the commands. Progress
 * goes to stderr, data (with `--json`) to stdout.
 */
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { ensureOpenClawRuntime } from './ensure';
import { vendorConfigSchema } from './schema';
import { MissingPrerequisiteError, prepareTestMachine, requireTestPrerequisites, TestPrerequisite } from './test-machine';

export const USAGE = `usage: tsx packages/openclaw-runtime/src/cli.ts <command> [--json]

commands:
  prepare-test-machine   install what npm test needs: as root, missing Debian packages
                         (chromium, fonts, iproute2, git) with apt-get, then the pinned
                         OpenClaw runtime; fails at once, naming each missing piece and
                         its fix, where it cannot install (not root, no apt-get)
  check-test-machine     install nothing; exit 1 naming whatever npm test would miss
  ensure                 install Node.js 24 and the pinned openclaw into the cache if needed
  print-paths            like ensure, then print the runtime paths as JSON
  schema                 regenerate the vendored OpenClaw config JSON Schema

options:
  --json                 print the result (or the error) as one JSON object on stdout
  --help                 this text`;

const ALL_PREREQUISITES: readonly TestPrerequisite[] = [
  'root',
  'chromium',
  'fonts-liberation',
  'fonts-noto-color-emoji',
  'iproute2',
  'git',
  'openclaw-runtime',
];

async function run(command: string | undefined): Promise<unknown> {
  switch (command) {
    case 'prepare-test-machine': {
      const prepared = await prepareTestMachine();
      return { installedPackages: prepared.installedPackages, runtime: prepared.runtime };
    }
    case 'check-test-machine':
      return { commands: requireTestPrerequisites(ALL_PREREQUISITES) };
    case 'ensure':
    case 'print-paths':
      return ensureOpenClawRuntime();
    case 'schema': {
      const vendored = await vendorConfigSchema(await ensureOpenClawRuntime());
      const shown = (file: string): string => path.relative(REPOSITORY_ROOT, file);
      process.stderr.write(
        `[openclaw-runtime] schema: wrote ${shown(vendored.schemaPath)} (${vendored.bytes} bytes, ${vendored.openclawBuild}) and ${shown(vendored.readmePath)}\n`,
      );
      return vendored;
    }
    default:
      throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
  }
}

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const unknownOption = argv.find((a) => a.startsWith('-') && a !== '--json');
  const command = argv.find((a) => !a.startsWith('-'));
  try {
    if (unknownOption) throw new UsageError(`unknown option ${unknownOption}`);
    const result = await run(command);
    if (json) process.stdout.write(`${JSON.stringify({ ok: true, command, result }, null, 2)}\n`);
    else if (command === 'print-paths') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      const missing = error instanceof MissingPrerequisiteError ? error.missing : undefined;
      process.stdout.write(`${JSON.stringify({ ok: false, command, error: message, ...(missing ? { missing } : {}) }, null, 2)}\n`);
    }
    process.stderr.write(`[openclaw-runtime] ${message}\n${error instanceof UsageError ? `${USAGE}\n` : ''}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

void main(process.argv.slice(2));
