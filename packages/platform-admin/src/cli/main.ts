/**
 * `platform-admin <subcommand>`: operator commands. Exit codes: 0 done (for
 * preflight: nothing failed), 1 a check failed, 2 bad usage or config.
 */
import * as path from 'node:path';
import { ValidationError } from '@openclaw-tenancy/shared';
import { loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { checklistLines, checklistSummary } from '../preflight/checklist-text';
import { createPreflightClients } from '../preflight/preflight-clients';
import { runPreflight } from '../preflight/run-preflight';
import { LIFECYCLE_USAGE, isLifecycleCommand, runLifecycleCommand } from './lifecycle-cli';
import { PLATFORM_ADMIN_SUBCOMMANDS } from './subcommands';

export const USAGE = `usage: platform-admin <subcommand> [options]

subcommands:
  preflight --config <file> [--json]
      Read-only checks of the AWS account the config names, before a deploy:
      ACM certificate (us-east-1, ISSUED, covers domain.name), Route 53 zone,
      SES identity and production access, Bedrock access to every catalogue
      model, cluster administrators exist, the Git credential secret's presence
      and shape, and service quotas at signup.maxTenants. Uses the AWS
      credentials of the environment. Prints a checklist with a fix per failed
      item (--json: one JSON report on stdout, progress on stderr).
      Exit 0 when nothing failed, 1 when a check failed, 2 on bad usage or config.

${LIFECYCLE_USAGE}
  --help  this text
`;

export class UsageError extends Error {}

export interface PreflightArgs {
  readonly configPath: string;
  readonly json: boolean;
}

/** Parses `preflight` options; relative paths are resolved against `baseDir` (where the operator ran npm). */
export function parsePreflightArgs(argv: readonly string[], baseDir: string): PreflightArgs {
  let configPath: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--config') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) throw new UsageError('--config needs a file: --config config/platform.yaml');
      configPath = value;
    } else throw new UsageError(`unknown option ${arg} for preflight`);
  }
  if (!configPath) throw new UsageError('preflight needs --config <file>: the platform config you are about to deploy');
  return { configPath: path.resolve(baseDir, configPath), json };
}

async function preflight(argv: readonly string[]): Promise<number> {
  // npm runs workspace scripts in the package folder; INIT_CWD is where the operator typed the command.
  const args = parsePreflightArgs(argv, process.env.INIT_CWD ?? process.cwd());
  const config = loadPlatformConfigFile(args.configPath);
  const progress = args.json ? process.stderr : process.stdout;
  progress.write(`preflight of ${args.configPath} against account ${config.aws.account} (${config.aws.region})\n`);
  const report = await runPreflight(config, createPreflightClients(config), (name, results) => {
    if (args.json) progress.write(`checked ${name}\n`);
    else for (const r of results) progress.write(`${checklistLines(r).join('\n')}\n`);
  });
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${checklistSummary(report)}\n`);
  return report.ok ? 0 : 1;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (!subcommand || subcommand === '--help' || subcommand === '-h' || rest.includes('--help')) {
    process.stdout.write(USAGE);
    return subcommand ? 0 : 2;
  }
  if (subcommand === 'preflight') return preflight(rest);
  if (isLifecycleCommand(subcommand)) {
    // Ctrl-C stops a long command between two steps (an upgrade keeps its committed waves); a second one kills it.
    const interrupt = new AbortController();
    process.once('SIGINT', () => {
      process.stderr.write('stopping after the current step (Ctrl-C again to kill)\n');
      interrupt.abort();
    });
    return runLifecycleCommand(subcommand, rest, {
      signal: interrupt.signal,
      baseDir: process.env.INIT_CWD ?? process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  }
  throw new UsageError(`unknown subcommand "${subcommand}"; one of: ${PLATFORM_ADMIN_SUBCOMMANDS.join(', ')}`);
}

if (require.main === module || process.argv[1]?.endsWith('platform-admin.cjs')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const usage =
        e instanceof UsageError || e instanceof ValidationError || (e instanceof Error && /platform config not found/.test(e.message));
      process.stderr.write(
        `${usage ? '' : 'platform-admin: '}${e instanceof Error ? e.message : String(e)}\n${e instanceof UsageError ? `\n${USAGE}` : ''}`,
      );
      process.exitCode = usage ? 2 : 1;
    },
  );
}
