/**
 * `npm run tenants -- <command>`: the GitOps side of tenant administration.
 * Edits `tenants/<id>.yaml` with validation, then re-synthesizes only that
 * tenant's folder. Commit and push the result; Argo CD does the rest.
 *
 *   add <id> --owner <sub> [--tier standard|large] [--runtime runc|gvisor] [--budget <usd>]
 *   list [--status active|suspended|deleted]
 *   show <id>
 *   suspend <id> [--reason <reason>]
 *   resume <id>
 *   remove <id> [--reason <reason>]     (tombstone: the id stays taken forever; the folder keeps the data only)
 *
 * Every command accepts --json. Bad input exits 2 and changes nothing.
 */
import {
  DEFAULT_RUNTIME_TIER,
  InvalidTenantIdError,
  OWNER_PATTERN,
  RUNTIME_TIERS,
  TENANT_STATUSES,
  TENANT_TIERS,
  TenantRecord,
  TenantStateError,
  ValidationError,
  assertTenantId,
  isRuntimeTier,
  isTenantTier,
  newTenantRecord,
  resumeTenant,
  suspendTenant,
  tombstoneTenant,
} from '@openclaw-tenancy/shared';
import { syncTenantFolder } from '../synthesis/tenant-folder';
import { GitOpsWorkspace, openGitOpsWorkspace } from './gitops-workspace';

export class UsageError extends Error {}

interface ParsedArgs {
  readonly command: string;
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const FLAGS_WITH_VALUES = new Set(['owner', 'tier', 'runtime', 'budget', 'reason', 'status']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (FLAGS_WITH_VALUES.has(name)) {
      const value = rest[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (name === 'json') flags.set(name, true);
    else throw new UsageError(`unknown option --${name}`);
  }
  return { command, positional, flags };
}

export interface CommandResult {
  readonly json: unknown;
  readonly text: string;
}

const now = () => new Date();

export function runTenantsCommand(argv: readonly string[], ws: GitOpsWorkspace, clock: () => Date = now): CommandResult {
  const { command, positional, flags } = parseArgs(argv);
  const flag = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const idArg = () => {
    if (positional.length !== 1) throw new UsageError(`${command} needs exactly one tenant id`);
    return assertTenantId(positional[0]);
  };
  const existing = (id: string) => {
    const record = ws.registry.read(id);
    if (!record) throw new UsageError(`no tenant "${id}" in ${ws.registry.directory}`);
    return record;
  };
  const save = (record: TenantRecord, verb: string): CommandResult => {
    ws.registry.write(record);
    const change = syncTenantFolder(ws.repoRoot, record, ws.config);
    const files = [...change.written.map((p) => `  wrote ${p}`), ...change.removed.map((p) => `  removed ${p}`)];
    return { json: { tenant: record, ...change }, text: [`${verb} ${record.id} (${record.status})`, ...files].join('\n') };
  };

  switch (command) {
    case 'add': {
      const id = idArg();
      const owner = flag('owner');
      if (!owner || !OWNER_PATTERN.test(owner)) throw new UsageError('--owner <cognito-sub> is required (an opaque id, not an e-mail)');
      const tier = flag('tier') ?? ws.config.tenantDefaults.tier;
      if (!isTenantTier(tier)) throw new UsageError(`--tier must be one of ${TENANT_TIERS.join(', ')}`);
      const runtime = flag('runtime') ?? ws.config.tenantDefaults.runtime ?? DEFAULT_RUNTIME_TIER;
      if (!isRuntimeTier(runtime)) throw new UsageError(`--runtime must be one of ${RUNTIME_TIERS.join(', ')}`);
      const budgetText = flag('budget');
      const budget = budgetText === undefined ? undefined : Number(budgetText);
      if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0))
        throw new UsageError('--budget must be a non-negative number of USD');
      const taken = ws.registry.read(id);
      if (taken) {
        throw new UsageError(
          taken.status === 'deleted'
            ? `tenant id "${id}" belonged to an offboarded tenant and is never reused`
            : `tenant "${id}" already exists`,
        );
      }
      const clash = ws.registry.readAll().find((r) => r.owner === owner && r.status !== 'deleted');
      if (clash) throw new UsageError(`owner ${owner} already has tenant "${clash.id}"`);
      return save(
        newTenantRecord({ id, owner, tier, runtime, createdAt: clock(), ...(budget !== undefined ? { monthlyBudgetUsd: budget } : {}) }),
        'added',
      );
    }
    case 'list': {
      const status = flag('status');
      if (status !== undefined && !(TENANT_STATUSES as readonly string[]).includes(status))
        throw new UsageError(`--status must be one of ${TENANT_STATUSES.join(', ')}`);
      const records = ws.registry.readAll().filter((r) => status === undefined || r.status === status);
      const text =
        records.length === 0
          ? 'no tenants'
          : records
              .map((r) => `${r.id.padEnd(32)} ${r.status.padEnd(9)} ${r.tier.padEnd(8)} ${r.runtime.padEnd(6)} ${r.createdAt}`)
              .join('\n');
      return { json: records, text };
    }
    case 'show': {
      const record = existing(idArg());
      return {
        json: record,
        text: Object.entries(record)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join('\n'),
      };
    }
    case 'suspend':
      return save(suspendTenant(existing(idArg()), clock(), flag('reason') ?? 'admin'), 'suspended');
    case 'resume':
      return save(resumeTenant(existing(idArg())), 'resumed');
    case 'remove':
      return save(tombstoneTenant(existing(idArg()), clock(), flag('reason') ?? 'offboarded'), 'removed');
    default:
      throw new UsageError(`unknown command "${command}"; use add, list, show, suspend, resume or remove`);
  }
}

function main(argv: readonly string[]): number {
  const json = argv.includes('--json');
  try {
    const result = runTenantsCommand(argv, openGitOpsWorkspace());
    console.log(json ? JSON.stringify(result.json, null, 2) : result.text);
    return 0;
  } catch (e) {
    const known =
      e instanceof UsageError || e instanceof ValidationError || e instanceof InvalidTenantIdError || e instanceof TenantStateError;
    if (!known) throw e;
    const message = (e as Error).message;
    console.error(json ? JSON.stringify({ error: message }) : `error: ${message}`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
