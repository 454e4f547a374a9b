import { PlatformConfig, TenantRecord, newTenantRecord, suspendTenant, tenantNames, tombstoneTenant } from '@openclaw-tenancy/shared';
import { TENANT_MANIFEST_FILE, serializeTenantRecord, synthesizeTenantFiles } from '@openclaw-tenancy/tenant-manifests';
import { IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { tenantManifestsRenderer } from '../src/adapters/tenant-manifests-renderer';
import {
  ImageRolloutOptions,
  RolloutHealth,
  RolloutRefusedError,
  RolloutStoppedError,
  RolloutUsageError,
  TenantRolloutHealth,
  parseWaves,
  pinTenantImage,
  rollOutImage,
  waveTargets,
} from '../src/domain/image-rollout';
import { GIT_CREDENTIALS, GitOpsRemote, PLATFORM_CONFIG, startGitOpsRemote } from './support/gitops-remote';

const CONFIG: PlatformConfig = PLATFORM_CONFIG;
const REPO = CONFIG.image.repository;
const PLATFORM_IMAGE = `${REPO}:${CONFIG.image.tag}`;
const NEW = { tag: '2026.10.1' };
const NEW_IMAGE = `${REPO}:2026.10.1`;

const record = (id: string, n: number): TenantRecord =>
  newTenantRecord({
    id,
    owner: `5f0c1e2a-1111-4000-8000-00000000000${n}`,
    tier: 'standard',
    runtime: 'runc',
    createdAt: new Date('2026-11-25T10:00:00Z'),
  });

const REGISTRY: TenantRecord[] = [
  record('ada', 1),
  record('bob', 2),
  record('cyd', 3),
  suspendTenant(record('dan', 4), new Date('2026-11-26T10:00:00Z'), 'budget'),
  { ...record('eve', 5), image: { tag: '2026.8.1', pinned: true } },
  tombstoneTenant(record('fay', 6), new Date('2026-11-27T10:00:00Z')),
];

const seedFiles = (records: readonly TenantRecord[], config = CONFIG) =>
  records.flatMap((r) => [{ path: `tenants/${r.id}.yaml`, content: serializeTenantRecord(r) }, ...synthesizeTenantFiles(r, config)]);

/** The image a tenant's folder at the tip of main asks its containers to run (what Argo CD applies). */
function deployedImage(remote: GitOpsRemote, tenantId: string): string | undefined {
  const text = remote.show(`${tenantNames(tenantId).deployDir}/${TENANT_MANIFEST_FILE}`) ?? '';
  const images = new Set([...text.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]));
  if (images.size > 1) throw new Error(`tenant ${tenantId}'s containers run different images: ${[...images].join(', ')}`);
  return [...images][0];
}

/** What an operator's command writes Git with: the lambdas' Git adapter on the test remote and the tenant charts. */
const gitOpsPorts = (remote: GitOpsRemote, config: PlatformConfig = CONFIG) => ({
  config,
  repository: new IsomorphicGitRepository({
    url: remote.url,
    branch: 'main',
    author: { name: 'platform-admin', email: 'admin@example.com' },
    credentials: async () => GIT_CREDENTIALS,
    backoffBaseMs: 5,
  }),
  renderer: tenantManifestsRenderer,
});

/**
 * Stands in for the cluster: a tenant runs what its folder at the tip asks for
 * (Argo CD applied it), becomes ready unless its image is in `broken`, and
 * runs nothing when suspended.
 */
class FolderHealth implements RolloutHealth {
  readonly broken = new Set<string>();
  readonly stuck = new Set<string>();
  readonly checked: string[] = [];
  constructor(private readonly remote: GitOpsRemote) {}
  async check(tenantId: string, image: string): Promise<TenantRolloutHealth> {
    this.checked.push(tenantId);
    const runs = deployedImage(this.remote, tenantId);
    if (runs !== image) return { state: 'pending', detail: `runs ${runs}` };
    if (this.remote.show(`tenants/${tenantId}.yaml`)?.includes('status: suspended')) return { state: 'not-running', detail: '0 replicas' };
    if (this.broken.has(image)) return { state: 'failed', detail: `ImagePullBackOff: ${image} not found` };
    if (this.stuck.has(tenantId)) return { state: 'pending', detail: 'ready 0/1' };
    return { state: 'healthy' };
  }
}

describe('image rollout in waves (real Git remote, the tenant charts)', () => {
  let remote: GitOpsRemote;
  let health: FolderHealth;

  beforeEach(async () => {
    remote = await startGitOpsRemote();
    remote.pushFiles(seedFiles(REGISTRY), 'Seed the registry');
    health = new FolderHealth(remote);
  });
  afterEach(() => remote.close());

  const ports = (config = CONFIG) => ({
    ...gitOpsPorts(remote, config),
    health,
    sleep: () => new Promise<void>((resolve) => setTimeout(resolve, 1)),
  });
  const options = (overrides: Partial<ImageRolloutOptions> = {}): ImageRolloutOptions => ({
    target: NEW,
    waves: parseWaves('1,100%'),
    waveTimeoutMs: 2_000,
    pollMs: 1,
    dryRun: false,
    ...overrides,
  });

  it('moves one tenant, proves it, then the rest, one commit per wave; pinned and offboarded tenants are passed by', async () => {
    const before = remote.countCommits();
    const lines: string[] = [];
    const result = await rollOutImage(ports(), options({ progress: (l) => lines.push(l) }));

    expect(remote.countCommits()).toBe(before + 2);
    expect(remote.log().slice(0, 2)).toEqual(['Roll out 2026.10.1 to wave 2: bob, cyd, dan', 'Roll out 2026.10.1 to wave 1: ada']);
    expect(remote.changedFiles(`main~1`).filter((f) => !f.includes('/ada'))).toEqual([]);
    expect(result).toMatchObject({ image: NEW_IMAGE, total: 4, done: 4, complete: true, pinned: { eve: '2026.8.1' } });
    expect(result.waves.map((w) => w.tenants)).toEqual([['ada'], ['bob', 'cyd', 'dan']]);
    expect(result.waves[1]?.health?.dan).toEqual({ state: 'not-running', detail: '0 replicas' });
    for (const id of ['ada', 'bob', 'cyd', 'dan']) expect(deployedImage(remote, id)).toBe(NEW_IMAGE);
    expect(remote.show('tenants/ada.yaml')).toContain('image:\n  tag: 2026.10.1');
    expect(deployedImage(remote, 'eve')).toBe(`${REPO}:2026.8.1`);
    expect(remote.show('tenants/fay.yaml')).not.toContain('image');
    // Wave 2 was committed only after wave 1's gate: ada was checked before bob.
    expect(health.checked.indexOf('ada')).toBeLessThan(health.checked.indexOf('bob'));
    expect(lines).toContain('wave 1 of 2: ada → ghcr.io/openclaw/openclaw:2026.10.1 (one commit)');
  });

  it('stops at a failing wave and leaves the untouched tenants on the old image; a re-run re-checks and stops again; --rollback returns the moved one', async () => {
    health.broken.add(NEW_IMAGE);
    const untouched = ['bob', 'cyd'].map((id) => remote.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`));
    const before = remote.countCommits();
    const stopped = await rollOutImage(ports(), options()).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(RolloutStoppedError);
    expect((stopped as RolloutStoppedError).reason).toBe('unhealthy');
    expect((stopped as RolloutStoppedError).message).toContain('wave 1: ada failed on ghcr.io/openclaw/openclaw:2026.10.1');
    expect((stopped as RolloutStoppedError).result.waves[0]?.health?.ada).toEqual({
      state: 'failed',
      detail: `ImagePullBackOff: ${NEW_IMAGE} not found`,
    });
    expect(remote.countCommits()).toBe(before + 1);
    expect(['bob', 'cyd'].map((id) => remote.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`))).toEqual(untouched);

    // Resuming proves the tenants already moved first: the broken one stops it before another wave.
    const again = await rollOutImage(ports(), options()).catch((e: unknown) => e);
    expect((again as RolloutStoppedError).message).toContain('tenants moved by an earlier run: ada failed');
    expect(remote.countCommits()).toBe(before + 1);

    const adaBefore = seedFiles([REGISTRY[0] as TenantRecord]);
    const back = await rollOutImage(ports(), options({ target: { tag: CONFIG.image.tag }, waves: parseWaves('100%') }));
    expect(back).toMatchObject({ toPlatformImage: true, image: PLATFORM_IMAGE, complete: true });
    expect(remote.log()[0]).toBe(`Return ${CONFIG.image.tag} as the platform image to wave 1: ada`);
    for (const file of adaBefore) expect(remote.show(file.path)).toBe(file.content);
  });

  it('a wave that does not become healthy in time stops with what is pending', async () => {
    health.stuck.add('ada');
    const stopped = (await rollOutImage(ports(), options({ waveTimeoutMs: 20 })).catch((e: unknown) => e)) as RolloutStoppedError;
    expect(stopped.reason).toBe('timeout');
    expect(stopped.message).toMatch(/^wave 1: not healthy within 0 s: ada; the committed waves stay \(1 of 4/);
  });

  it('the operator can stop it between checks; the committed wave stays and the same command resumes', async () => {
    health.stuck.add('ada');
    const controller = new AbortController();
    // Ctrl-C while wave 1's gate waits for ada.
    const check = health.check.bind(health);
    health.check = async (tenantId, image) => {
      const verdict = await check(tenantId, image);
      if (verdict.state === 'pending' && health.stuck.has(tenantId)) controller.abort();
      return verdict;
    };
    const run = rollOutImage(ports(), options({ signal: controller.signal, waveTimeoutMs: 60_000 }));
    const stopped = (await run.catch((e: unknown) => e)) as RolloutStoppedError;
    expect(stopped.reason).toBe('interrupted');
    expect(stopped.message).toContain('run the same command to resume');
    health.stuck.clear();
    const resumed = await rollOutImage(ports(), options());
    expect(resumed.waves.map((w) => w.index)).toEqual([2]);
    expect(resumed.complete).toBe(true);
  });

  it('a dry run plans the waves and commits nothing', async () => {
    const before = remote.countCommits();
    const plan = await rollOutImage(ports(), options({ dryRun: true, waves: parseWaves('1,50%,100%') }));
    expect(plan.waves.map((w) => [w.index, w.tenants])).toEqual([
      [1, ['ada']],
      [2, ['bob']],
      [3, ['cyd', 'dan']],
    ]);
    expect(remote.countCommits()).toBe(before);
  });

  it('refuses another build while tenants run one from an unfinished rollout, and a tag alone when the platform pins digests', async () => {
    await rollOutImage(ports(), options({ waves: parseWaves('1') }));
    const before = remote.countCommits();
    await expect(rollOutImage(ports(), options({ target: { tag: '2026.11.1' } }))).rejects.toThrow(RolloutRefusedError);
    await expect(rollOutImage(ports(), options({ target: { tag: '2026.11.1' } }))).rejects.toThrow(
      'ada (2026.10.1) runs another build from an unfinished rollout: roll it back first (upgrade --rollback) or pin it',
    );
    const pinning = { ...CONFIG, image: { ...CONFIG.image, digest: `sha256:${'a'.repeat(64)}` } };
    await expect(rollOutImage(ports(pinning), options())).rejects.toThrow(RolloutUsageError);
    expect(remote.countCommits()).toBe(before);
  });

  it('once the build is the platform image, running it again clears the per-tenant builds without changing what runs', async () => {
    await rollOutImage(ports(), options());
    const deployed = ['ada', 'bob', 'cyd', 'dan'].map((id) => remote.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`));
    const promoted = { ...CONFIG, image: { ...CONFIG.image, tag: NEW.tag } };
    const result = await rollOutImage(ports(promoted), options({ waves: parseWaves('100%') }));
    expect(result).toMatchObject({ toPlatformImage: true, complete: true });
    expect(['ada', 'bob', 'cyd', 'dan'].map((id) => remote.show(`${tenantNames(id).deployDir}/${TENANT_MANIFEST_FILE}`))).toEqual(deployed);
    expect(remote.show('tenants/ada.yaml')).not.toContain('image');
    expect(remote.show('tenants/eve.yaml')).toContain('pinned: true');
  });
});

describe('pinning one tenant to a build', () => {
  let remote: GitOpsRemote;
  beforeEach(async () => {
    remote = await startGitOpsRemote();
    remote.pushFiles(seedFiles(REGISTRY), 'Seed the registry');
  });
  afterEach(() => remote.close());
  const ports = () => gitOpsPorts(remote);

  it('pins in one commit, a rollout then passes the tenant by, and releasing returns it to the platform image byte for byte', async () => {
    const original = seedFiles([REGISTRY[1] as TenantRecord]);
    const pinned = await pinTenantImage(ports(), 'bob', NEW, { dryRun: false });
    expect(pinned).toMatchObject({ from: CONFIG.image.tag, to: '2026.10.1', pinned: true, commit: remote.head() });
    expect(remote.log()[0]).toBe('Pin tenant bob to 2026.10.1');
    expect(deployedImage(remote, 'bob')).toBe(NEW_IMAGE);
    const plan = await rollOutImage(
      { ...ports(), health: { check: async () => ({ state: 'healthy' }) } },
      { target: { tag: '2026.11.1' }, waves: parseWaves('100%'), waveTimeoutMs: 1000, dryRun: true },
    );
    expect(plan.pinned).toEqual({ bob: '2026.10.1', eve: '2026.8.1' });
    expect(plan.waves.flatMap((w) => w.tenants)).not.toContain('bob');

    const released = await pinTenantImage(ports(), 'bob', undefined, { dryRun: false });
    expect(released).toMatchObject({ from: '2026.10.1', to: CONFIG.image.tag, pinned: false });
    for (const file of original) expect(remote.show(file.path)).toBe(file.content);
  });

  it('refuses an unknown or offboarded tenant and commits nothing; a dry run commits nothing', async () => {
    const before = remote.countCommits();
    await expect(pinTenantImage(ports(), 'zed', NEW, { dryRun: false })).rejects.toThrow('no tenant "zed" in the registry');
    await expect(pinTenantImage(ports(), 'fay', NEW, { dryRun: false })).rejects.toThrow(RolloutRefusedError);
    expect(await pinTenantImage(ports(), 'ada', NEW, { dryRun: true })).toEqual({
      tenantId: 'ada',
      from: CONFIG.image.tag,
      to: '2026.10.1',
      pinned: true,
      dryRun: true,
    });
    expect(remote.countCommits()).toBe(before);
  });
});

describe('wave sizes', () => {
  it('parses counts and shares and turns them into growing cumulative targets', () => {
    expect(parseWaves('1,10%,100%')).toEqual([{ count: 1 }, { percent: 10 }, { percent: 100 }]);
    expect(waveTargets(parseWaves('1,10%,100%'), 25)).toEqual([1, 3, 25]);
    expect(waveTargets(parseWaves('1,10%,100%'), 1)).toEqual([1]);
    expect(waveTargets(parseWaves('5,100%'), 3)).toEqual([3]);
    expect(waveTargets(parseWaves('1'), 0)).toEqual([]);
  });

  it.each([
    ['0', 'neither a number'],
    ['1,x', 'neither a number'],
    ['10%,5%', 'not larger than 10%'],
    ['3,2', 'not larger than 3'],
    ['150%', 'not a share between 1% and 100%'],
  ])('refuses %j (%s)', (text, message) => {
    expect(() => parseWaves(text)).toThrow(RolloutUsageError);
    expect(() => parseWaves(text)).toThrow(message);
  });
});
