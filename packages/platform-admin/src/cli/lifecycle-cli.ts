/**
 * `platform-admin create|invite|suspend|resume|offboard|list|show|usage|restore|upgrade|pin|verify|destroy`: parsing,
 * output and exit codes. The work is in `../lifecycle` and `../usage`; one
 * table ({@link LIFECYCLE_COMMANDS}) drives the parser and `--help`.
 */
import * as path from 'node:path';
import { InvalidTenantIdError, ValidationError, parseImageBuild, platformImageBuild, type PlatformConfig } from '@openclaw-tenancy/shared';
import { loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { deployedLifecyclePorts, platformGitOpsRepository } from '../lifecycle/aws-lifecycle-ports';
import {
  DEFAULT_OFFBOARD_REASON,
  DEFAULT_SUSPEND_REASON,
  LifecycleUsageError,
  changeTenantStatus,
  createTenant,
  inviteUser,
  listTenants,
  sendOffboarding,
  showTenant,
} from '../lifecycle/lifecycle-commands';
import type { LifecyclePorts } from '../lifecycle/lifecycle-ports';
import { EXIT_CODES, LifecycleRefusal } from '../lifecycle/lifecycle-refusal';
import { DeploymentNotFoundError } from '../lifecycle/platform-deployment';
import { buildUsageReport, usageCsv } from '../usage/usage-report';
import { KubeconfigError, readKubeconfig } from '../kubernetes/kubeconfig';
import { KubernetesTenantWorkload, schemaVersionFor } from '../kubernetes/tenant-workload';
import { VALIDATED_KUBERNETES_VERSIONS } from '@openclaw-tenancy/tenant-manifests';
import { checklistLines } from '../preflight/checklist-text';
import { deployedVerifyPorts } from '../verify/deployed-verify-ports';
import { runVerify, type VerifyPorts } from '../verify/verify-checks';
import { BackupClient } from '@aws-sdk/client-backup';
import {
  DEFAULT_ROLLOUT_WAVES,
  DEFAULT_WAVE_TIMEOUT_SECONDS,
  ROLLBACK_WAVES,
  RolloutRefusedError,
  RolloutStoppedError,
  RolloutUsageError,
  parseWaves,
  pinTenantImage,
  readTenantRecord,
  rollOutImage,
  type RolloutHealth,
} from '@openclaw-tenancy/lambdas';
import { KubernetesRolloutHealth } from '../kubernetes/rollout-health';
import { tenantBackupPlanName, tenantNames } from '@openclaw-tenancy/shared';
import { AwsTenantBackups } from '../restore/aws-tenant-backups';
import { KEPT_BECAUSE, destroyPlatform, type DestroyPorts, type DestroyResult } from '../destroy/destroy-platform';
import { AwsStackTeardown } from '../destroy/stack-teardown';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tenantManifestsRenderer } from '@openclaw-tenancy/lambdas';
import { executeRestorePlan } from '../restore/restore-executor';
import { buildRestorePlan, type RestoreStep } from '../restore/restore-plan';
import type { TenantBackups, WorkloadProbe } from '../restore/restore-ports';

interface CommandSpec {
  /** Options that take a value. */
  readonly options: readonly string[];
  /** Options without a value (besides --json and --config). */
  readonly switches: readonly string[];
  /** How many positional arguments (the tenant id). */
  readonly positional: 0 | 1;
  readonly synopsis: string;
  readonly help: string;
}

export const LIFECYCLE_COMMANDS = {
  create: {
    options: ['email', 'user'],
    switches: ['dry-run'],
    positional: 0,
    synopsis: 'create (--email <address> | --user <cognito-sub>) --config <file> [--dry-run] [--json]',
    help: 'Claims a tenant id for a confirmed user of the pool and sends the provisioning job\n(the PostConfirmation claim transaction and job; the provisioner does the rest).',
  },
  invite: {
    options: ['email', 'name'],
    switches: ['dry-run'],
    positional: 0,
    synopsis: 'invite --email <address> [--name <full name>] --config <file> [--dry-run] [--json]',
    help: 'Creates the user in the pool (Cognito e-mails a temporary password; the user chooses their own at\nfirst sign-in) and claims and provisions the workspace as a sign-up does, so it is ready when they arrive.',
  },
  suspend: {
    options: ['reason'],
    switches: ['dry-run'],
    positional: 1,
    synopsis: `suspend <id> --config <file> [--reason <reason>] [--dry-run] [--json]`,
    help: `One GitOps commit: registry status suspended (reason default "${DEFAULT_SUSPEND_REASON}") and the\nfolder re-synthesized with 0 replicas (the cost enforcer's commit). Data is kept.`,
  },
  resume: {
    options: [],
    switches: ['dry-run'],
    positional: 1,
    synopsis: 'resume <id> --config <file> [--dry-run] [--json]',
    help: 'One GitOps commit: registry status active and the folder re-synthesized.',
  },
  offboard: {
    options: ['reason'],
    switches: ['dry-run'],
    positional: 1,
    synopsis: 'offboard <id> --config <file> [--reason <reason>] [--dry-run] [--json]',
    help: `Sends the offboarding job (reason default "${DEFAULT_OFFBOARD_REASON}") to the queue the offboarder\nconsumes: owner disabled and signed out, tombstone, Pod Identity, profiles, secret, logs.`,
  },
  list: {
    options: ['status'],
    switches: [],
    positional: 0,
    synopsis: 'list --config <file> [--status active|suspended|deleted|provisioning] [--json]',
    help: 'Every tenant of the registry, and claims not in it yet (status provisioning): status,\nlifecycle, tier, owner, created, last activity (not recorded yet: "-"), month-to-date\nBedrock spend and budget.',
  },
  show: {
    options: ['kubeconfig'],
    switches: [],
    positional: 1,
    synopsis: 'show <id> --config <file> [--kubeconfig <file>] [--json]',
    help: 'Registry record, claim and admission, provisioning steps still pending, secret,\nPod Identity association and inference profiles present, month-to-date usage; with\n--kubeconfig the gateway Deployment (replicas ready, conditions, image) and the Argo CD\nApplication (sync, health, revision) from the cluster.',
  },
  usage: {
    options: ['month', 'tenant'],
    switches: ['csv'],
    positional: 0,
    synopsis: 'usage --config <file> [--month YYYY-MM] [--tenant <id>] [--json | --csv]',
    help: "Bedrock input/output tokens and cost per tenant and model for a month (default:\nthis month so far), from the per-tenant inference profiles, priced from the catalog;\ncompute showback: running pod-hours (Container Insights) × the tier's requests.",
  },
  restore: {
    options: ['at', 'restore-role-arn'],
    switches: ['dry-run', 'workload-stopped'],
    positional: 1,
    synopsis: 'restore <id> --config <file> [--at <time>] (--dry-run | --restore-role-arn <arn>) [--workload-stopped] [--json]',
    help: "Restores the tenant's workspace directory from AWS Backup as of --at (default now) into\na new file system holding only that directory: suspend (Git), confirm no pod runs\n(--workload-stopped once `kubectl get pods` shows none), on-demand rollback backup,\nitem-level restore. Then the swap and resume of docs/operations/restore.md.",
  },
  upgrade: {
    options: ['image', 'waves', 'wave-timeout', 'kubeconfig'],
    switches: ['rollback', 'dry-run'],
    positional: 0,
    synopsis:
      'upgrade (--image <tag|tag@digest|digest> | --rollback) --config <file> [--waves 1,10%,100%] [--wave-timeout <seconds>] (--kubeconfig <file> | --dry-run) [--json]',
    help: `Rolls a build of the platform image out in waves (default ${DEFAULT_ROLLOUT_WAVES}), one GitOps commit per wave that sets\nthe build on its tenants' registry records; the next wave starts when every gateway of the last one\nruns it and is ready (read from the cluster with --kubeconfig; default wave timeout ${DEFAULT_WAVE_TIMEOUT_SECONDS} s).\nPinned tenants are passed by. A failed gate or Ctrl-C stops it (exit ${EXIT_CODES.stopped}); the same command resumes,\nre-checking the tenants already moved. --rollback returns every moved tenant to the platform image\n(config image) in one wave. Once all run the build, make it the platform image, deploy, and run\nupgrade --image <it> again to clear the per-tenant builds.`,
  },
  pin: {
    options: ['image'],
    switches: ['release', 'dry-run'],
    positional: 1,
    synopsis: 'pin <id> (--image <tag|tag@digest|digest> | --release) --config <file> [--dry-run] [--json]',
    help: 'One GitOps commit: the tenant runs --image (a build of the platform image) and rollouts pass it\nby, to hold it back or try a build on it first; --release returns it to the platform image.',
  },
  verify: {
    options: [],
    switches: [],
    positional: 0,
    synopsis: 'verify --config <file> [--json]',
    help: 'Read-only health on one screen, a fix under each failing item: platform functions\nactive, sign-up triggers wired, dead-letter queues empty, no platform alarm firing,\nGitOps registry readable, edge answering (tenant path refused without a token).\nExit 0 when nothing failed, 1 when an item failed.',
  },
  destroy: {
    options: ['confirm'],
    switches: ['dry-run'],
    positional: 0,
    synopsis: 'destroy --config <file> (--dry-run | --confirm <platformName>) [--json]',
    help: 'Tears the platform down: refuses while a tenant is not offboarded (the offboarder removes what\nwas made for tenants at runtime), then deletes the stacks in reverse deploy order, waiting for\neach, and lists what the templates keep (keys, locked backups, audit logs, the user pool) and why.\nResumable: stacks already gone are skipped. Exit 3 when refused.',
  },
} as const satisfies Record<string, CommandSpec>;

export type LifecycleCommand = keyof typeof LIFECYCLE_COMMANDS;
export const LIFECYCLE_COMMAND_NAMES = Object.keys(LIFECYCLE_COMMANDS) as LifecycleCommand[];

export const isLifecycleCommand = (name: string): name is LifecycleCommand => Object.hasOwn(LIFECYCLE_COMMANDS, name);

/** The `--help` section of these commands, with the exit codes they share. */
export const LIFECYCLE_USAGE = `${LIFECYCLE_COMMAND_NAMES.map((name) => {
  const spec: CommandSpec = LIFECYCLE_COMMANDS[name];
  return `  ${spec.synopsis}\n${spec.help
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}`;
}).join('\n\n')}

  Every command above reads the deployment the config names with the AWS credentials of
  the environment; progress lines go to stderr, the result to stdout (--json: one JSON
  document). Exit codes: ${EXIT_CODES.ok} done (or planned with --dry-run), ${EXIT_CODES.failed} an AWS or Git call failed,
  ${EXIT_CODES.usage} bad usage or config (nothing changed), ${EXIT_CODES.refused} refused by the tenant's or user's state
  (nothing changed), ${EXIT_CODES.stopped} an upgrade stopped at a failed health gate or by Ctrl-C (the committed
  waves stay; the same command resumes).
`;

export interface ParsedCommand {
  readonly command: LifecycleCommand;
  readonly configPath: string;
  readonly json: boolean;
  readonly tenantId?: string;
  readonly options: Readonly<Record<string, string>>;
  readonly switches: ReadonlySet<string>;
}

export function parseLifecycleArgs(command: LifecycleCommand, argv: readonly string[], baseDir: string): ParsedCommand {
  const spec: CommandSpec = LIFECYCLE_COMMANDS[command];
  const options: Record<string, string> = {};
  const switches = new Set<string>();
  const positional: string[] = [];
  let configPath: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (name === 'json') json = true;
    else if (name === 'config' || spec.options.includes(name)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new LifecycleUsageError(`--${name} needs a value`);
      if (name === 'config') configPath = value;
      else options[name] = value;
    } else if (spec.switches.includes(name)) switches.add(name);
    else throw new LifecycleUsageError(`unknown option ${arg} for ${command}; usage: platform-admin ${spec.synopsis}`);
  }
  if (positional.length !== spec.positional) {
    throw new LifecycleUsageError(
      spec.positional === 1
        ? `${command} needs exactly one tenant id; usage: platform-admin ${spec.synopsis}`
        : `${command} takes no positional argument (${positional.join(' ')})`,
    );
  }
  if (!configPath) throw new LifecycleUsageError(`${command} needs --config <file>: the platform config of the deployment`);
  if (command === 'create' && 'email' in options === 'user' in options)
    throw new LifecycleUsageError('create needs exactly one of --email <address> or --user <cognito-sub>');
  if (command === 'invite' && options.email === undefined) throw new LifecycleUsageError('invite needs --email <address>');
  if (command === 'usage' && json && switches.has('csv')) throw new LifecycleUsageError('usage takes --json or --csv, not both');
  if (command === 'upgrade' && 'image' in options === switches.has('rollback'))
    throw new LifecycleUsageError('upgrade needs exactly one of --image <build> or --rollback');
  if (command === 'upgrade' && !switches.has('dry-run') && options.kubeconfig === undefined)
    throw new LifecycleUsageError('upgrade needs --kubeconfig <file> to read the health of each wave from the cluster (or --dry-run)');
  if (command === 'pin' && 'image' in options === switches.has('release'))
    throw new LifecycleUsageError('pin needs exactly one of --image <build> or --release');
  return {
    command,
    configPath: path.resolve(baseDir, configPath),
    json,
    ...(positional[0] !== undefined ? { tenantId: positional[0] } : {}),
    options,
    switches,
  };
}

export interface LifecycleCliEnv {
  /** Where relative paths are resolved (where the operator typed the command). */
  readonly baseDir: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Builds the ports for a config (default: discover the deployment in AWS). */
  readonly portsFor?: (config: PlatformConfig) => Promise<LifecyclePorts>;
  /** What `verify` reads (default: the deployment the config names, found as for every command). */
  readonly verifyPortsFor?: (config: PlatformConfig) => Promise<VerifyPorts>;
  /** AWS Backup for `restore` (default: a client in `aws.region`). */
  readonly backupsFor?: (config: PlatformConfig) => TenantBackups;
  /** What `destroy` talks to (default: the config's GitOps repository, CloudFormation in each stack's region). */
  readonly destroyPortsFor?: (config: PlatformConfig) => DestroyPorts;
  /** What `upgrade` and `pin` change (default: the config's GitOps repository with the Git credential secret). */
  readonly gitOpsFor?: (config: PlatformConfig) => Pick<DestroyPorts, 'repository' | 'renderer'>;
  /** Stops a long command between two steps (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 15000 */
  readonly pollIntervalMs?: number;
}

/** Runs one command; returns its exit code and never throws. */
export async function runLifecycleCommand(command: LifecycleCommand, argv: readonly string[], env: LifecycleCliEnv): Promise<number> {
  let json = argv.includes('--json');
  try {
    const parsed = parseLifecycleArgs(command, argv, env.baseDir);
    json = parsed.json;
    const config = loadPlatformConfigFile(parsed.configPath);
    const progress = (line: string) => env.stderr(`${line}\n`);
    progress(`${command}: platform ${config.platformName}, account ${config.aws.account} (${config.aws.region})`);
    if (parsed.command === 'verify') {
      const report = await runVerify(await (env.verifyPortsFor ?? deployedVerifyPorts)(config), (name, results) => {
        progress(`checked ${name}`);
        if (!parsed.json) for (const r of results) env.stdout(`${checklistLines(r).join('\n')}\n`);
      });
      const counts = (status: string) => report.results.filter((r) => r.status === status).length;
      env.stdout(
        parsed.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : `${counts('pass')} passed, ${counts('warn')} warnings, ${counts('fail')} failed: ${report.ok ? 'healthy' : 'fix every FAIL above, then run verify again'}\n`,
      );
      return report.ok ? EXIT_CODES.ok : EXIT_CODES.failed;
    }
    // Destroy needs no deployed function: it must still run when the control plane is already gone.
    if (parsed.command === 'destroy') {
      const destroyPorts = (env.destroyPortsFor ?? defaultDestroyPorts)(config);
      const r = await destroyPlatform(
        {
          ...destroyPorts,
          ...(env.sleep ? { sleep: env.sleep } : {}),
          ...(env.pollIntervalMs !== undefined ? { pollIntervalMs: env.pollIntervalMs } : {}),
        },
        { dryRun: parsed.switches.has('dry-run'), ...(parsed.options.confirm !== undefined ? { confirm: parsed.options.confirm } : {}) },
        progress,
      );
      env.stdout(parsed.json ? `${JSON.stringify(r, null, 2)}\n` : `${destroyText(r)}\n`);
      return EXIT_CODES.ok;
    }
    // Upgrades change Git only and read the cluster: no deployed function is needed.
    if (parsed.command === 'upgrade' || parsed.command === 'pin') {
      const output = await imageCommand(parsed, config, progress, env);
      env.stdout(parsed.json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
      return EXIT_CODES.ok;
    }
    const ports = await (env.portsFor ?? deployedLifecyclePorts)(config);
    const output = await execute(parsed, ports, progress, env);
    env.stdout(parsed.json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    return EXIT_CODES.ok;
  } catch (e) {
    const code = exitCodeOf(e);
    const message = e instanceof Error ? e.message : String(e);
    const detail = e instanceof RolloutStoppedError ? { stoppedBy: e.reason, rollout: e.result } : {};
    if (json) env.stdout(`${JSON.stringify({ error: message, exitCode: code, ...detail }, null, 2)}\n`);
    env.stderr(`platform-admin ${command}: ${message}\n`);
    return code;
  }
}

function defaultDestroyPorts(config: PlatformConfig): DestroyPorts {
  return {
    config,
    repository: platformGitOpsRepository(config, new SecretsManagerClient({ region: config.aws.region })),
    renderer: tenantManifestsRenderer,
    stacks: new AwsStackTeardown(),
  };
}

async function imageCommand(
  parsed: ParsedCommand,
  config: PlatformConfig,
  progress: (line: string) => void,
  env: LifecycleCliEnv,
): Promise<CommandOutput> {
  const dryRun = parsed.switches.has('dry-run');
  const gitOps = (env.gitOpsFor ?? defaultDestroyPorts)(config);
  const build = parsed.options.image === undefined ? undefined : parseImageBuild(parsed.options.image);
  if (parsed.command === 'pin') {
    const r = await pinTenantImage({ config, ...gitOps }, parsed.tenantId ?? '', build, { dryRun });
    const change = `${r.tenantId}: ${r.from} → ${r.to}${r.pinned ? ' (pinned: rollouts pass it by)' : ' (the platform image)'}`;
    return {
      json: r,
      text: r.dryRun ? `would commit ${change}` : r.commit ? `${change} in commit ${r.commit}` : `${change}: already so, nothing committed`,
    };
  }
  const timeout = parsed.options['wave-timeout'] ?? String(DEFAULT_WAVE_TIMEOUT_SECONDS);
  if (!/^[1-9]\d{0,5}$/.test(timeout)) throw new LifecycleUsageError(`--wave-timeout "${timeout}" is not a number of seconds`);
  const kubeconfig = parsed.options.kubeconfig;
  const health: RolloutHealth =
    kubeconfig === undefined
      ? { check: async () => ({ state: 'pending', detail: 'no --kubeconfig: the cluster cannot be read' }) }
      : new KubernetesRolloutHealth(
          new KubernetesTenantWorkload(
            readKubeconfig(path.resolve(env.baseDir, kubeconfig)),
            schemaVersionFor(config.cluster.kubernetesVersion, VALIDATED_KUBERNETES_VERSIONS),
          ),
        );
  const r = await rollOutImage(
    { config, ...gitOps, health, ...(env.sleep ? { sleep: env.sleep } : {}) },
    {
      target: build ?? platformImageBuild(config.image),
      waves: parseWaves(parsed.options.waves ?? (build ? DEFAULT_ROLLOUT_WAVES : ROLLBACK_WAVES)),
      waveTimeoutMs: Number(timeout) * 1000,
      ...(env.pollIntervalMs !== undefined ? { pollMs: env.pollIntervalMs } : {}),
      dryRun,
      ...(env.signal ? { signal: env.signal } : {}),
      progress,
    },
  );
  const waves = r.waves.map((w) => `  wave ${w.index}: ${w.tenants.join(', ')}${w.commit ? ` (commit ${w.commit.slice(0, 12)})` : ''}`);
  const pinned = Object.entries(r.pinned).map(([id, b]) => `  pinned ${id} on ${b} (passed by)`);
  const head = r.dryRun
    ? `would roll ${r.image} out to ${r.total - r.done} of ${r.total} tenants:`
    : `${r.image}: ${r.done} of ${r.total} tenants${r.complete ? ' (every one)' : ''}`;
  return { json: r, text: [head, ...waves, ...pinned].join('\n') };
}

function destroyText(r: DestroyResult): string {
  return [
    ...r.stacks.map(
      (s) => `${s.outcome === 'delete' ? 'would delete' : s.outcome === 'deleted' ? 'deleted' : 'not deployed'} ${s.name} (${s.region})`,
    ),
    r.kept.length === 0 ? 'nothing kept' : `kept (${r.dryRun ? 'will stay' : 'stays'} in the account):`,
    ...r.kept.map(
      (k) =>
        `  ${k.type} ${k.physicalId ?? k.logicalId} (${k.stack}): ${KEPT_BECAUSE[k.type] ?? 'its template keeps it (DeletionPolicy Retain)'}`,
    ),
  ].join('\n');
}

function exitCodeOf(e: unknown): number {
  if (e instanceof LifecycleRefusal || e instanceof RolloutRefusedError) return EXIT_CODES.refused;
  if (e instanceof RolloutStoppedError) return EXIT_CODES.stopped;
  if (
    e instanceof LifecycleUsageError ||
    e instanceof RolloutUsageError ||
    e instanceof ValidationError ||
    e instanceof InvalidTenantIdError ||
    e instanceof DeploymentNotFoundError ||
    e instanceof KubeconfigError
  )
    return EXIT_CODES.usage;
  if (e instanceof Error && /platform config not found/.test(e.message)) return EXIT_CODES.usage;
  return EXIT_CODES.failed;
}

interface CommandOutput {
  readonly json: unknown;
  readonly text: string;
}

async function execute(
  parsed: ParsedCommand,
  ports: LifecyclePorts,
  progress: (line: string) => void,
  env: LifecycleCliEnv,
): Promise<CommandOutput> {
  const dryRun = parsed.switches.has('dry-run');
  const id = parsed.tenantId ?? '';
  switch (parsed.command) {
    case 'create': {
      const email = parsed.options.email;
      const r = await createTenant(ports, email !== undefined ? { email } : { sub: parsed.options.user ?? '' }, { dryRun }, progress);
      const text = r.dryRun
        ? `would ${r.newlyClaimed ? `claim ${r.tenantId} (or its next free candidate)` : `re-send provisioning of ${r.tenantId}`} for ${r.email} (${r.owner})`
        : `${r.newlyClaimed ? 'claimed' : 'already claimed'} ${r.tenantId} for ${r.email} (${r.owner}); provisioning job sent${r.admission?.kind === 'reserved' ? `, admitted at ${r.admission.admitAt}` : ''}`;
      return { json: r, text };
    }
    case 'invite': {
      const r = await inviteUser(
        ports,
        { email: parsed.options.email ?? '', ...(parsed.options.name ? { name: parsed.options.name } : {}) },
        { dryRun },
        progress,
      );
      const text = r.dryRun
        ? `would invite ${r.email} (Cognito e-mails a temporary password) and claim and provision a workspace`
        : `invited ${r.email} (${r.owner}): Cognito e-mailed a temporary password; claimed ${r.tenantId}, provisioning job sent${r.admission?.kind === 'reserved' ? `, admitted at ${r.admission.admitAt}` : ''}`;
      return { json: r, text };
    }
    case 'suspend':
    case 'resume': {
      const r = await changeTenantStatus(
        ports,
        id,
        parsed.command === 'suspend' ? { kind: 'suspend', reason: parsed.options.reason ?? DEFAULT_SUSPEND_REASON } : { kind: 'resume' },
        { dryRun },
        progress,
      );
      const head =
        r.from === r.to
          ? `${r.tenantId} is already ${r.to}; nothing committed`
          : r.dryRun
            ? `would ${parsed.command} ${r.tenantId} (${r.from} → ${r.to}) in one commit`
            : r.commit
              ? `${parsed.command === 'suspend' ? 'suspended' : 'resumed'} ${r.tenantId} (${r.from} → ${r.to}) in commit ${r.commit}`
              : `${r.tenantId} was already ${r.to} at the tip; nothing committed`;
      return { json: r, text: [head, ...r.paths.map((p) => `  ${p}`)].join('\n') };
    }
    case 'offboard': {
      const r = await sendOffboarding(ports, id, parsed.options.reason ?? DEFAULT_OFFBOARD_REASON, { dryRun }, progress);
      return {
        json: r,
        text: r.dryRun
          ? `would send ${JSON.stringify(r.job)} to the offboarding queue`
          : `offboarding job sent for ${r.job.tenantId} (reason ${r.job.reason}); follow it with: platform-admin show ${r.job.tenantId}`,
      };
    }
    case 'list': {
      const r = await listTenants(ports, parsed.options.status !== undefined ? { status: parsed.options.status } : {}, progress);
      const header = ['ID', 'STATUS', 'LIFECYCLE', 'TIER', 'OWNER', 'CREATED', 'LAST ACTIVITY', `SPEND ${r.month}`];
      const rows = r.tenants.map((t) => [
        t.id,
        t.status,
        t.lifecycle ?? '-',
        t.tier,
        t.owner,
        t.createdAt,
        t.lastActivity ?? '-',
        t.monthToDateUsd === null ? '-' : `$${t.monthToDateUsd.toFixed(2)} / $${t.monthlyBudgetUsd}`,
      ]);
      return { json: r, text: r.tenants.length === 0 ? 'no tenants' : table([header, ...rows]) };
    }
    case 'show': {
      const kubeconfig = parsed.options.kubeconfig;
      const workload =
        kubeconfig === undefined
          ? undefined
          : new KubernetesTenantWorkload(
              readKubeconfig(path.resolve(env.baseDir, kubeconfig)),
              schemaVersionFor(ports.config.cluster.kubernetesVersion, VALIDATED_KUBERNETES_VERSIONS),
            );
      const r = await showTenant(ports, id, progress, workload);
      const lines = [
        `tenant ${r.tenantId}`,
        `  registry:       ${r.registry ? `${r.registry.status}${r.registry.statusReason ? ` (${r.registry.statusReason})` : ''}, tier ${r.registry.tier}, runtime ${r.registry.runtime}, owner ${r.registry.owner}, created ${r.registry.createdAt}` : 'absent'}`,
        `  claim:          ${r.claim ? `${r.claim.status}, claimed ${r.claim.claimedAt ?? '?'}${r.claim.supersededBy ? `, superseded by ${r.claim.supersededBy}` : ''}` : 'none (added with the tenants CLI)'}`,
        `  admission:      ${r.admission ? (r.admission.kind === 'reserved' ? `reserved, provisioning at ${r.admission.admitAt}` : r.admission.kind) : '-'}`,
        `  provisioning:   ${r.claim ? (r.provisioningPending.length === 0 ? 'every step done' : `pending: ${r.provisioningPending.join(', ')}`) : '-'}`,
        `  secret:         ${r.resources.secret}`,
        `  pod identity:   ${r.resources.podIdentityAssociationArn ?? 'absent'}`,
        `  profiles:       ${Object.keys(r.resources.inferenceProfiles).length === 0 ? 'none' : Object.keys(r.resources.inferenceProfiles).join(', ')}`,
        `  spend (month):  $${r.monthToDateUsd.toFixed(2)}${r.usage.map((u) => ` ${u.modelAlias} ${u.inputTokens}/${u.outputTokens} tokens`).join(',')}`,
        `  workload:       ${!r.workload ? 'not read (give --kubeconfig)' : r.workload.deployment === 'absent' ? 'no Deployment in the cluster' : `${r.workload.readyReplicas}/${r.workload.desiredReplicas} ready, ${r.workload.conditions.join(' ') || 'no conditions yet'}${r.workload.image ? `, ${r.workload.image}` : ''}`}`,
        ...(r.workload
          ? [
              `  argo cd:        ${r.workload.application.state === 'absent' ? `no Application ${tenantNames(r.tenantId).argoApplication} in the cluster` : `${r.workload.application.sync}, ${r.workload.application.health}${r.workload.application.revision ? ` at ${r.workload.application.revision.slice(0, 12)}` : ''}${r.workload.application.lastSync ? `, last sync ${r.workload.application.lastSync}` : ''}`}`,
            ]
          : []),
      ];
      return { json: r, text: lines.join('\n') };
    }
    case 'restore': {
      const backups = (env.backupsFor ?? ((config) => new AwsTenantBackups(new BackupClient({ region: config.aws.region }))))(ports.config);
      const roleArn = parsed.options['restore-role-arn'];
      if (!dryRun && roleArn === undefined)
        throw new LifecycleUsageError(
          'restore needs --restore-role-arn <arn> (a role AWS Backup may assume to restore), or --dry-run to see the plan',
        );
      if (roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn))
        throw new LifecycleUsageError(`--restore-role-arn "${roleArn}" is not an IAM role ARN`);
      progress(
        `planning the restore of ${id}: registry record, backup plan ${tenantBackupPlanName(ports.config.platformName)}, recovery points`,
      );
      const [record, target] = await Promise.all([
        ports.repository.read((snapshot) => readTenantRecord(snapshot, id, ports.renderer)),
        backups.findTarget(tenantBackupPlanName(ports.config.platformName)),
      ]);
      const plan = buildRestorePlan({
        config: ports.config,
        tenantId: id,
        ...(parsed.options.at !== undefined ? { at: parsed.options.at } : {}),
        now: ports.now(),
        record,
        target,
        recoveryPoints: target ? await backups.recoveryPoints(target.fileSystemArn) : [],
      });
      const planText = [
        `restore ${plan.tenantId} as of ${plan.at} from recovery point ${plan.recoveryPoint.arn} (${plan.recoveryPoint.createdAt})`,
        ...plan.steps.map((s, i) => `  ${i + 1}. ${describeStep(s)}`),
      ].join('\n');
      if (dryRun) return { json: { dryRun: true, plan }, text: planText };
      // Nothing here can see the cluster: the operator states that the namespace has no pod left.
      const workload: WorkloadProbe = { runningPods: async () => (parsed.switches.has('workload-stopped') ? 0 : 'unknown') };
      const result = await executeRestorePlan(
        plan,
        {
          lifecycle: ports,
          backups,
          workload,
          restoreRoleArn: roleArn ?? '',
          sleep: env.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
          ...(env.pollIntervalMs !== undefined ? { pollIntervalMs: env.pollIntervalMs } : {}),
        },
        progress,
      );
      return {
        json: { dryRun: false, plan, result },
        text: [
          planText,
          `rollback point: ${result.rollbackRecoveryPointArn}`,
          `restored copy:  ${result.restoredFileSystemArn} (holds only ${plan.tenantDirectory})`,
          'next (docs/operations/restore.md):',
          ...result.remaining.map((s) => `  - ${describeStep(s)}`),
        ].join('\n'),
      };
    }
    case 'verify':
    case 'destroy':
    case 'upgrade':
    case 'pin':
      throw new Error(`${parsed.command} runs before the lifecycle ports are built`);
    case 'usage': {
      const r = await buildUsageReport(
        ports,
        {
          ...(parsed.options.month !== undefined ? { month: parsed.options.month } : {}),
          ...(parsed.options.tenant !== undefined ? { tenant: parsed.options.tenant } : {}),
        },
        progress,
      );
      if (parsed.switches.has('csv')) return { json: r, text: usageCsv(r).trimEnd() };
      const header = ['TENANT', 'STATUS', 'MODEL', 'INPUT TOKENS', 'OUTPUT TOKENS', 'COST USD'];
      const rows = r.rows.map((u) => [
        u.tenantId,
        u.status,
        u.modelAlias,
        String(u.inputTokens),
        String(u.outputTokens),
        u.costUsd.toFixed(2),
      ]);
      const computeRows = r.tenants.map((t) => [
        t.tenantId,
        t.compute.podHours.toFixed(2),
        t.compute.cpuCoreHours.toFixed(2),
        t.compute.memoryGiBHours.toFixed(2),
      ]);
      const compute = table([['TENANT', 'POD-HOURS', 'CPU CORE-HOURS REQUESTED', 'MEMORY GIB-HOURS REQUESTED'], ...computeRows]);
      return {
        json: r,
        text: `${r.month} (${r.from} – ${r.until})\n${rows.length === 0 ? 'no Bedrock usage' : table([header, ...rows])}\ntotal $${r.totalUsd.toFixed(2)}\n\ncompute (running pod-hours × the tier's gateway requests)\n${compute}`,
      };
    }
  }
}

function describeStep(step: RestoreStep): string {
  switch (step.kind) {
    case 'suspend':
      return `suspend the tenant (one GitOps commit, reason ${step.reason}, 0 replicas)`;
    case 'confirm-stopped':
      return `confirm no pod runs in ${step.namespace}`;
    case 'rollback-backup':
      return `on-demand backup of ${step.resourceArn} into vault ${step.vaultName} (the rollback point)`;
    case 'restore-items':
      return `item-level restore of ${step.itemsToRestore.join(', ')} from ${step.recoveryPointArn} into a new file system`;
    case 'swap':
      return `swap: the restored copy replaces ${step.tenantDirectory}, the current content kept aside (operator, Kubernetes Job in ${step.namespace})`;
    case 'resume':
      return 'resume the tenant: platform-admin resume <id> (operator, after checking the swap)';
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n');
}
