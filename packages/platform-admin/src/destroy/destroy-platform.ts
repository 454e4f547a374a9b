/**
 * `destroy`: the ordered teardown of a platform. What the Lambdas created at
 * runtime for tenants (inference profiles, Pod Identity associations, tenant
 * secrets, container output) is removed by the offboarder, so destroy first
 * refuses while any tenant is not offboarded; then it deletes the stacks in
 * the reverse of their deploy order (each depends only on stacks deployed
 * before it), waiting for each, and says what the templates keep and why.
 * Resumable: a stack already gone is skipped.
 */
import { type GitOpsRepository, type ManifestRenderer, readRegistry } from '@openclaw-tenancy/lambdas';
import { PLATFORM_STACK_LAYERS, type PlatformConfig, hasWorkload, platformStackName, platformStackRegion } from '@openclaw-tenancy/shared';
import { LifecycleRefusal } from '../lifecycle/lifecycle-refusal';
import { LifecycleUsageError } from '../lifecycle/lifecycle-commands';
import type { ProgressReporter } from '../lifecycle/lifecycle-ports';
import type { RetainedResource, StackTeardown } from './stack-teardown';

export interface DestroyPorts {
  readonly config: PlatformConfig;
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  readonly stacks: StackTeardown;
  /** @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 15000 */
  readonly pollIntervalMs?: number;
}

export interface DestroyedStack {
  readonly name: string;
  readonly region: string;
  /** `absent`: not deployed (or already deleted); `delete`: what a dry run would do. */
  readonly outcome: 'absent' | 'delete' | 'deleted';
}

export interface DestroyResult {
  readonly dryRun: boolean;
  readonly stacks: readonly DestroyedStack[];
  /** What stays in the account after the stacks are gone, as each template says (`DeletionPolicy: Retain`). */
  readonly kept: readonly RetainedResource[];
}

/** Why a kept resource type outlives the platform, and what removes it. */
export const KEPT_BECAUSE: Readonly<Record<string, string>> = {
  'AWS::KMS::Key': 'a key that encrypted data or audit logs; only the break-glass role may schedule its deletion (ADR 0112)',
  'AWS::Backup::BackupVault': 'holds recovery points under a vault lock until backup.retentionDays has passed',
  'AWS::Backup::BackupPlan': 'kept with its vault',
  'AWS::Backup::BackupSelection': 'kept with its vault',
  'AWS::S3::Bucket': 'the audit trail under Object Lock, or access logs; empties only as its retention allows',
  'AWS::Logs::LogGroup': 'audit and edge logs, kept for their retention',
  'AWS::Cognito::UserPool': 'the users; deletion protection must be turned off by hand first',
  'AWS::DynamoDB::GlobalTable':
    'the tenant registry of claims and ids (ids are never reused); deletion protection must be turned off first',
  'AWS::DynamoDB::Table': 'platform state; deletion protection must be turned off first',
  'AWS::EFS::FileSystem': "the tenants' workspaces",
  'AWS::SNS::Topic': 'the alerts topic, so alarms about the teardown itself still reach someone',
};

export async function destroyPlatform(
  ports: DestroyPorts,
  options: { readonly dryRun: boolean; readonly confirm?: string },
  progress: ProgressReporter,
): Promise<DestroyResult> {
  const { config } = ports;
  if (!options.dryRun && options.confirm !== config.platformName)
    throw new LifecycleUsageError(
      `destroy deletes platform ${config.platformName}: repeat its name with --confirm ${config.platformName}, or look first with --dry-run`,
    );

  progress(`reading the tenant registry (${config.gitops.repoUrl} ${config.gitops.branch})`);
  const records = await ports.repository.read((snapshot) => readRegistry(snapshot, ports.renderer));
  const live = records.filter(hasWorkload);
  if (live.length > 0)
    throw new LifecycleRefusal(
      `${live.length} tenant(s) are not offboarded (${live.map((r) => r.id).join(', ')}): offboard each first (platform-admin offboard <id>), which removes what the platform created for them at runtime`,
    );

  const order = [...PLATFORM_STACK_LAYERS].reverse().map((layer) => ({
    name: platformStackName(config.platformName, layer),
    region: platformStackRegion(layer, config.aws.region),
  }));
  const views = [];
  for (const stack of order) {
    progress(`reading stack ${stack.name} (${stack.region})`);
    views.push({ ...stack, view: await ports.stacks.describe(stack.name, stack.region) });
  }
  const kept = views.flatMap((v) => v.view?.retained ?? []);
  if (options.dryRun)
    return { dryRun: true, stacks: views.map((v) => ({ name: v.name, region: v.region, outcome: v.view ? 'delete' : 'absent' })), kept };

  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const stacks: DestroyedStack[] = [];
  for (const { name, region, view } of views) {
    if (!view) {
      stacks.push({ name, region, outcome: 'absent' });
      continue;
    }
    progress(`deleting stack ${name} (${region})`);
    await ports.stacks.delete(name, region);
    for (;;) {
      const state = await ports.stacks.deletion(name, region);
      if (state.done) {
        if (state.failure)
          throw new Error(
            `stack ${name} could not be deleted: ${state.failure}. Deleted so far: ${
              stacks
                .filter((s) => s.outcome === 'deleted')
                .map((s) => s.name)
                .join(', ') || 'none'
            }; fix the cause and run destroy again (it continues with the stacks left)`,
          );
        break;
      }
      progress(`  ${name}: ${state.status}`);
      await sleep(ports.pollIntervalMs ?? 15_000);
    }
    stacks.push({ name, region, outcome: 'deleted' });
  }
  return { dryRun: false, stacks, kept };
}
