/**
 * Rolling a build of the tenant image out in waves (docs/adr/0603). Each wave
 * is one GitOps commit that sets the build on its tenants' registry records
 * and re-synthesizes their folders (the same `tenantFilesChange` every
 * lifecycle change uses); the next wave starts only when every tenant of the
 * previous one runs the build and is ready. The rollout's state is Git itself:
 * a tenant is on the target when its record names it, so a run that stopped
 * (a failed gate, Ctrl-C, a lost laptop) is resumed by running it again, and
 * that run first re-checks the tenants already moved. Rolling back is a
 * rollout to the platform image: the records' builds are removed.
 */
import {
  ImageBuild,
  PlatformConfig,
  TenantRecord,
  imageBuildText,
  imageReference,
  platformImageBuild,
  sameImageBuild,
  tenantImageBuild,
} from '@openclaw-tenancy/shared';
import type { GitOpsRepository, RepositorySnapshot } from '../ports/gitops-repository';
import type { ManifestRenderer } from '../ports/manifest-renderer';
import { mergeChanges, readRegistry, readTenantRecord, tenantFilesChange } from './tenant-gitops-changes';

/** What a tenant's workload says of running one image. */
export type TenantRolloutHealth =
  | { readonly state: 'healthy' }
  /** Nothing runs to prove the build (suspended, idle, 0 replicas); it starts the build when the tenant next runs. */
  | { readonly state: 'not-running'; readonly detail: string }
  | { readonly state: 'pending'; readonly detail: string }
  | { readonly state: 'failed'; readonly detail: string };

/** Reads what a tenant runs: the cluster's Deployment, or the local platform's pod. */
export interface RolloutHealth {
  check(tenantId: string, image: string): Promise<TenantRolloutHealth>;
}

/** The waves of a rollout unless the operator names others: one tenant, then a tenth, then everyone. */
export const DEFAULT_ROLLOUT_WAVES = '1,10%,100%';
/** A rollback returns every moved tenant at once. */
export const ROLLBACK_WAVES = '100%';
/** How long a wave may take to become healthy unless the operator says otherwise. */
export const DEFAULT_WAVE_TIMEOUT_SECONDS = 900;

/** One wave's cumulative size: a number of tenants, or a share of the rollout's tenants. */
export type WaveSize = { readonly count: number } | { readonly percent: number };

export interface ImageRolloutPorts {
  readonly config: PlatformConfig;
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  readonly health: RolloutHealth;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ImageRolloutOptions {
  /** The build to roll out; the platform image (config `image`) rolls every moved tenant back. */
  readonly target: ImageBuild;
  /** Cumulative wave sizes, e.g. 1, 10 %, 100 %. */
  readonly waves: readonly WaveSize[];
  /** How long a wave may take to become healthy. */
  readonly waveTimeoutMs: number;
  /** @default 2000 */
  readonly pollMs?: number;
  readonly dryRun: boolean;
  /** Aborting stops the rollout between two checks; the waves committed so far stay. */
  readonly signal?: AbortSignal;
  readonly progress?: (line: string) => void;
}

export interface RolloutWave {
  /** 1-based, of the waves the sizes define. */
  readonly index: number;
  readonly tenants: readonly string[];
  readonly commit?: string;
  /** The gate's verdict per tenant (absent on a dry run). */
  readonly health?: Readonly<Record<string, TenantRolloutHealth>>;
}

export interface ImageRolloutResult {
  readonly dryRun: boolean;
  readonly image: string;
  /** True when the target is the platform image (a rollback or the finishing step). */
  readonly toPlatformImage: boolean;
  /** Tenants the rollout covers (not offboarded, not pinned). */
  readonly total: number;
  /** Of those, on the target when the run ended. */
  readonly done: number;
  /** Pinned tenants the rollout passed by, with the build each runs. */
  readonly pinned: Readonly<Record<string, string>>;
  /** Waves this run committed (or, with `dryRun`, would commit). */
  readonly waves: readonly RolloutWave[];
  /** Every tenant is on the target. */
  readonly complete: boolean;
}

/** Bad input detected before anything was changed. */
export class RolloutUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutUsageError';
  }
}

/** The registry's state does not allow this rollout (nothing was changed). */
export class RolloutRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutRefusedError';
  }
}

/** A health gate failed or the operator stopped it; the committed waves stay and a run of the same command resumes. */
export class RolloutStoppedError extends Error {
  constructor(
    message: string,
    readonly reason: 'unhealthy' | 'timeout' | 'interrupted',
    readonly result: ImageRolloutResult,
  ) {
    super(message);
    this.name = 'RolloutStoppedError';
  }
}

/** Parses `--waves` (`1,10%,100%`): cumulative sizes, each larger than the one before. */
export function parseWaves(text: string): WaveSize[] {
  const parts = text.split(',').map((p) => p.trim());
  const waves = parts.map((part): WaveSize => {
    const percent = /^(\d{1,3})%$/.exec(part);
    if (percent) {
      const value = Number(percent[1]);
      if (value < 1 || value > 100) throw new RolloutUsageError(`--waves: ${part} is not a share between 1% and 100%`);
      return { percent: value };
    }
    if (/^[1-9]\d{0,5}$/.test(part)) return { count: Number(part) };
    throw new RolloutUsageError(`--waves: "${part}" is neither a number of tenants (e.g. 1) nor a share (e.g. 10%)`);
  });
  // Sizes of one kind must grow; a count and a share are compared on the tenants they cover at run time.
  for (let i = 1; i < waves.length; i += 1) {
    const [a, b] = [waves[i - 1] as WaveSize, waves[i] as WaveSize];
    if ('count' in a && 'count' in b && b.count <= a.count)
      throw new RolloutUsageError(`--waves: ${parts[i]} is not larger than ${parts[i - 1]}`);
    if ('percent' in a && 'percent' in b && b.percent <= a.percent)
      throw new RolloutUsageError(`--waves: ${parts[i]} is not larger than ${parts[i - 1]}`);
  }
  return waves;
}

/** The waves' cumulative tenant counts for `total` tenants, strictly growing (a wave that adds nobody is dropped). */
export function waveTargets(waves: readonly WaveSize[], total: number): number[] {
  const targets: number[] = [];
  for (const wave of waves) {
    const size = Math.min(total, 'count' in wave ? wave.count : Math.ceil((wave.percent * total) / 100));
    if (size > (targets[targets.length - 1] ?? 0)) targets.push(size);
  }
  return targets;
}

const isPinned = (record: TenantRecord): boolean => record.image?.pinned === true;

/** Rolls `options.target` out wave by wave (or, with `dryRun`, says which tenants each wave would move). */
export async function rollOutImage(ports: ImageRolloutPorts, options: ImageRolloutOptions): Promise<ImageRolloutResult> {
  const { config } = ports;
  const progress = options.progress ?? (() => undefined);
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const platform = platformImageBuild(config.image);
  const toPlatformImage = sameImageBuild(options.target, platform);
  if (config.image.digest && !options.target.digest)
    throw new RolloutUsageError(
      `the platform runs digest-pinned images (image.digest is set) and admission refuses others: give the build as <tag>@sha256:<digest>`,
    );
  const image = imageReference(config.image.repository, options.target);
  const onTarget = (record: TenantRecord): boolean =>
    toPlatformImage ? !record.image : sameImageBuild(record.image ?? {}, options.target);
  const move = (record: TenantRecord): TenantRecord => {
    const { image: _previous, ...rest } = record;
    return toPlatformImage ? rest : { ...rest, image: { ...options.target } };
  };

  const records = await ports.repository.read((snapshot) => readRegistry(snapshot, ports.renderer));
  const covered = records
    .filter((r) => r.status !== 'deleted' && !isPinned(r))
    // Running tenants first: they are the ones a gate can prove the build on.
    .sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || a.id.localeCompare(b.id));
  const pinned = Object.fromEntries(
    records.filter((r) => r.status !== 'deleted' && isPinned(r)).map((r) => [r.id, imageBuildText(tenantImageBuild(r, config.image))]),
  );
  if (!toPlatformImage) {
    const others = covered.filter((r) => r.image && !onTarget(r));
    if (others.length > 0)
      throw new RolloutRefusedError(
        `${others.map((r) => `${r.id} (${imageBuildText(r.image ?? {})})`).join(', ')} run${others.length === 1 ? 's' : ''} another build from an ` +
          `unfinished rollout: roll ${others.length === 1 ? 'it' : 'them'} back first (upgrade --rollback) or pin ${others.length === 1 ? 'it' : 'them'}`,
      );
  }
  const done = new Set(covered.filter(onTarget).map((r) => r.id));
  const targets = waveTargets(options.waves, covered.length);
  const result = (waves: RolloutWave[], complete = done.size === covered.length): ImageRolloutResult => ({
    dryRun: options.dryRun,
    image,
    toPlatformImage,
    total: covered.length,
    done: done.size,
    pinned,
    waves,
    complete,
  });
  progress(
    `${image}: ${done.size} of ${covered.length} tenants on it${Object.keys(pinned).length ? `, ${Object.keys(pinned).length} pinned (passed by)` : ''}`,
  );

  const remaining = covered.filter((r) => !done.has(r.id)).map((r) => r.id);
  const plannedWaves: RolloutWave[] = [];
  let planned = done.size;
  for (const [i, target] of targets.entries()) {
    if (target <= planned) continue;
    plannedWaves.push({ index: i + 1, tenants: remaining.slice(planned - done.size, target - done.size) });
    planned = target;
  }
  if (options.dryRun) return result(plannedWaves, false);

  const gate = async (tenants: readonly string[], label: string): Promise<Record<string, TenantRolloutHealth>> => {
    const deadline = Date.now() + options.waveTimeoutMs;
    const verdicts: Record<string, TenantRolloutHealth> = {};
    const reported = new Map<string, string>();
    for (;;) {
      for (const tenantId of tenants) {
        const known = verdicts[tenantId];
        if (known && (known.state === 'healthy' || known.state === 'not-running')) continue;
        const verdict = await ports.health.check(tenantId, image);
        verdicts[tenantId] = verdict;
        const line = `  ${tenantId}: ${verdict.state}${'detail' in verdict ? ` (${verdict.detail})` : ''}`;
        if (reported.get(tenantId) !== line) progress(line);
        reported.set(tenantId, line);
      }
      const failed = tenants.filter((t) => verdicts[t]?.state === 'failed');
      if (failed.length > 0) return stop(`${label}: ${failed.join(', ')} failed on ${image}`, 'unhealthy', verdicts, tenants);
      if (tenants.every((t) => verdicts[t]?.state === 'healthy' || verdicts[t]?.state === 'not-running')) return verdicts;
      if (Date.now() >= deadline)
        return stop(
          `${label}: not healthy within ${Math.round(options.waveTimeoutMs / 1000)} s: ${tenants.filter((t) => verdicts[t]?.state === 'pending').join(', ')}`,
          'timeout',
          verdicts,
          tenants,
        );
      if (options.signal?.aborted) return stop(`${label}: stopped by the operator`, 'interrupted', verdicts, tenants);
      await sleep(options.pollMs ?? 2000);
      if (options.signal?.aborted) return stop(`${label}: stopped by the operator`, 'interrupted', verdicts, tenants);
    }
  };
  const committed: RolloutWave[] = [];
  const stop = (
    message: string,
    reason: RolloutStoppedError['reason'],
    verdicts: Record<string, TenantRolloutHealth>,
    tenants: readonly string[],
  ): never => {
    const last = committed[committed.length - 1];
    if (last && last.tenants === tenants) committed[committed.length - 1] = { ...last, health: verdicts };
    const next = toPlatformImage
      ? 'run it again to retry'
      : 'run the same command to resume, or roll the moved tenants back with --rollback';
    throw new RolloutStoppedError(
      `${message}; the committed waves stay (${done.size} of ${covered.length} on ${image}): ${next}`,
      reason,
      result(committed, false),
    );
  };

  // A resumed rollout proves the tenants it already moved before it moves more.
  const alreadyMoved = toPlatformImage ? [] : covered.filter((r) => done.has(r.id)).map((r) => r.id);
  if (alreadyMoved.length > 0 && plannedWaves.length > 0) {
    progress(`checking the ${alreadyMoved.length} tenant(s) already on ${image} before the next wave`);
    await gate(alreadyMoved, 'tenants moved by an earlier run');
  }

  for (const wave of plannedWaves) {
    if (options.signal?.aborted) stop(`stopped by the operator before wave ${wave.index}`, 'interrupted', {}, []);
    progress(`wave ${wave.index} of ${targets.length}: ${wave.tenants.join(', ')} → ${image} (one commit)`);
    let movedNow: string[] = [];
    const commit = await ports.repository.commit(
      `${toPlatformImage ? 'Return' : 'Roll out'} ${imageBuildText(options.target)} ${toPlatformImage ? 'as the platform image to' : 'to'} wave ${wave.index}: ${wave.tenants.join(', ')}\n\nImage: ${image}\nTenants: ${wave.tenants.join(',')}\n`,
      async (snapshot: RepositorySnapshot) => {
        // Planned again on the tip this attempt builds on: a tenant offboarded or pinned meanwhile is left alone.
        movedNow = [];
        const changes = [];
        for (const tenantId of wave.tenants) {
          const record = await readTenantRecord(snapshot, tenantId, ports.renderer);
          if (!record || record.status === 'deleted' || isPinned(record) || onTarget(record)) continue;
          changes.push(await tenantFilesChange(move(record), config, ports.renderer));
          movedNow.push(tenantId);
        }
        return mergeChanges(changes);
      },
    );
    for (const tenantId of wave.tenants) done.add(tenantId);
    committed.push({ index: wave.index, tenants: wave.tenants, ...(commit.changed ? { commit: commit.commit } : {}) });
    progress(
      commit.changed
        ? `  committed ${commit.commit.slice(0, 7)} (${movedNow.length} tenant folder(s) re-synthesized); waiting for their gateways`
        : '  nothing to commit (already there); checking their gateways',
    );
    const health = await gate(wave.tenants, `wave ${wave.index}`);
    committed[committed.length - 1] = { ...(committed[committed.length - 1] as RolloutWave), health };
  }
  const complete = done.size === covered.length;
  progress(
    complete
      ? toPlatformImage
        ? `every tenant runs the platform image ${image}`
        : `every tenant runs ${image}; make it the platform image (config image.tag/image.digest), deploy, then run upgrade --image ${imageBuildText(options.target)} once more to clear the per-tenant builds`
      : `the planned waves are done: ${done.size} of ${covered.length} tenants on ${image}; continue with --waves 100%`,
  );
  return result(committed, complete);
}

export interface PinTenantImageResult {
  readonly tenantId: string;
  /** The build the tenant ran before, and runs now (`imageBuildText` form). */
  readonly from: string;
  readonly to: string;
  readonly pinned: boolean;
  readonly dryRun: boolean;
  readonly commit?: string;
}

/**
 * Holds one tenant on a build (`build`; rollouts pass it by) or releases it
 * to the platform image (`undefined`): one commit of its registry file and
 * re-synthesized folder. Trying a build on one tenant first is pinning it to
 * that build.
 */
export async function pinTenantImage(
  ports: Pick<ImageRolloutPorts, 'config' | 'repository' | 'renderer'>,
  tenantId: string,
  build: ImageBuild | undefined,
  options: { readonly dryRun: boolean },
): Promise<PinTenantImageResult> {
  const { config } = ports;
  if (build && config.image.digest && !build.digest)
    throw new RolloutUsageError('the platform runs digest-pinned images (image.digest is set): give the build as <tag>@sha256:<digest>');
  const next = (record: TenantRecord): TenantRecord => {
    if (record.status === 'deleted') throw new RolloutRefusedError(`tenant "${tenantId}" is offboarded; nothing of it runs`);
    const { image: _previous, ...rest } = record;
    return build ? { ...rest, image: { ...build, pinned: true } } : rest;
  };
  const read = async (snapshot: RepositorySnapshot): Promise<TenantRecord> => {
    const record = await readTenantRecord(snapshot, tenantId, ports.renderer);
    if (!record) throw new RolloutRefusedError(`no tenant "${tenantId}" in the registry`);
    return record;
  };
  const describe = (record: TenantRecord) => imageBuildText(tenantImageBuild(record, config.image));
  const current = await ports.repository.read(read);
  const planned = next(current);
  const summary = { tenantId, from: describe(current), to: describe(planned), pinned: build !== undefined, dryRun: options.dryRun };
  if (options.dryRun) return summary;
  const message = build
    ? `Pin tenant ${tenantId} to ${imageBuildText(build)}\n\nTenant: ${tenantId}\nImage: ${imageReference(config.image.repository, build)}\n`
    : `Release tenant ${tenantId} to the platform image\n\nTenant: ${tenantId}\n`;
  const commit = await ports.repository.commit(message, async (snapshot) =>
    tenantFilesChange(next(await read(snapshot)), config, ports.renderer),
  );
  return { ...summary, ...(commit.changed ? { commit: commit.commit } : {}) };
}
