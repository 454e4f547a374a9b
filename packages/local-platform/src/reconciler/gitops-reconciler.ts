/**
 * Argo CD's part on one machine: follows the branch of the local GitOps
 * remote (it notices a push within a second: a watch on the bare
 * repository's refs, and a poll as a fallback) and, at each new commit, makes
 * the running tenant pods match it — one gateway per active tenant in
 * `tenants/*.yaml`, run from that tenant's synthesized
 * `deploy/tenants/<id>/manifests.yaml`, once Argo CD's project rules and the
 * admission policies (`TenantFences`) admit that folder. Suspended and deleted
 * tenants have none. A tenant whose files cannot be read or run is reported and skipped;
 * the others are unaffected.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIT_PATHS, TenantRecord, tenantNames } from '@openclaw-tenancy/shared';
import { TENANT_MANIFEST_FILE, parseTenantRecordText } from '@openclaw-tenancy/tenant-manifests';
import { gitEnv } from '../gitops/local-gitops-repository';
import { CommandError, runHostCommand } from '../host/system-commands';
import { TenantFences } from './tenant-fences';
import { TenantWorkload, parseTenantWorkload } from './tenant-workload';

/** What the reconciler drives: one handle per tenant (a `TenantPod` in the platform). */
export interface TenantPods {
  apply(tenantId: string, workload: TenantWorkload | undefined): void;
  /** Tenants that currently have a handle. */
  known(): readonly string[];
}

export interface GitOpsReconcilerOptions {
  readonly git: string;
  readonly bareRepo: string;
  readonly branch: string;
  readonly pods: TenantPods;
  /** Argo CD's project rules and the admission policies; a folder they refuse never runs. */
  readonly fences: TenantFences;
  readonly log: (line: string) => void;
  /** @default 1000 */
  readonly pollMs?: number;
}

export class GitOpsReconciler {
  private synced: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Last problem reported per tenant, so a broken tenant is reported once per change, not every second. */
  private readonly problems = new Map<string, string>();

  constructor(private readonly options: GitOpsReconcilerOptions) {}

  /** Syncs once, then follows the branch. */
  async start(): Promise<void> {
    await this.check();
    const refsDir = path.join(this.options.bareRepo, 'refs', 'heads');
    this.watcher = fs.watch(refsDir, () => this.trigger());
    this.timer = setInterval(() => this.trigger(), this.options.pollMs ?? 1000);
  }

  /** Checks for a new commit now (serialized with any check in progress). */
  trigger(): void {
    if (this.stopped) return;
    this.running = this.running.then(() => this.check()).catch((e: Error) => this.options.log(`reconciler: ${e.message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.watcher?.close();
    await this.running;
  }

  /** The commit the running pods correspond to. */
  get syncedCommit(): string | undefined {
    return this.synced;
  }

  private git(...args: string[]): Promise<string> {
    return runHostCommand(this.options.git, ['--git-dir', this.options.bareRepo, ...args], { env: gitEnv() });
  }

  private async check(): Promise<void> {
    const tip = (await this.git('rev-parse', '--verify', `refs/heads/${this.options.branch}`)).trim();
    if (tip === this.synced) return;
    await this.sync(tip);
    this.synced = tip;
  }

  private async readFile(commit: string, file: string): Promise<string | undefined> {
    try {
      return await this.git('show', `${commit}:${file}`);
    } catch (e) {
      if (e instanceof CommandError && /does not exist|exists on disk, but not in/.test(e.stderr)) return undefined;
      throw e;
    }
  }

  private async sync(commit: string): Promise<void> {
    const listing = await this.git('ls-tree', '--name-only', commit, `${GIT_PATHS.registryDir}/`);
    const files = listing.split('\n').filter((f) => f.endsWith('.yaml'));
    const ids = new Set(files.map((f) => path.basename(f, '.yaml')));
    const folderListing = await this.git('ls-tree', '-d', '--name-only', commit, `${GIT_PATHS.tenantsDeployDir}/`);
    const folders = folderListing
      .split('\n')
      .filter(Boolean)
      .map((d) => path.basename(d));
    for (const tenantId of [...this.problems.keys()]) if (!ids.has(tenantId) && !folders.includes(tenantId)) this.problems.delete(tenantId);
    const desired = new Map<string, TenantWorkload | undefined>();
    for (const file of files) {
      const tenantId = path.basename(file, '.yaml');
      try {
        const record: TenantRecord = parseTenantRecordText((await this.readFile(commit, file)) ?? '', file);
        if (record.status !== 'active') {
          desired.set(tenantId, undefined);
          continue;
        }
        const manifestsFile = `${tenantNames(record.id).deployDir}/${TENANT_MANIFEST_FILE}`;
        const manifests = await this.readFile(commit, manifestsFile);
        if (manifests === undefined) throw new Error(`${manifestsFile} is missing at ${commit.slice(0, 7)}`);
        this.options.fences.assertAdmitted(tenantId, manifests);
        desired.set(tenantId, parseTenantWorkload(tenantId, manifests));
        this.problems.delete(tenantId);
      } catch (e) {
        const message = (e as Error).message;
        if (this.problems.get(tenantId) !== message) this.options.log(`tenant ${tenantId}: cannot run it: ${message}`);
        this.problems.set(tenantId, message);
        // A broken commit leaves what runs untouched, as Argo CD keeps the last synced state on a sync error.
        if (!this.options.pods.known().includes(tenantId)) desired.set(tenantId, undefined);
      }
    }
    // Argo CD makes an Application for every folder, registered or not: a folder without a registry record
    // meets the same fences and is reported; nothing runs it locally (no record says whether it is active).
    for (const folder of folders.filter((f) => !ids.has(f))) {
      const manifests = await this.readFile(commit, `${GIT_PATHS.tenantsDeployDir}/${folder}/${TENANT_MANIFEST_FILE}`);
      let message: string;
      try {
        const refusals = this.options.fences.refusals(folder, manifests ?? '');
        message =
          refusals.length > 0
            ? `refused (nothing of it runs): ${refusals.join('; ')}`
            : 'has no registry record; not run (Argo CD would apply it)';
      } catch (e) {
        message = `cannot be read: ${(e as Error).message}`;
      }
      if (this.problems.get(folder) !== message) this.options.log(`folder ${GIT_PATHS.tenantsDeployDir}/${folder}: ${message}`);
      this.problems.set(folder, message);
    }
    for (const [tenantId, workload] of desired) this.options.pods.apply(tenantId, workload);
    for (const tenantId of this.options.pods.known())
      if (!desired.has(tenantId) && !this.problems.has(tenantId)) this.options.pods.apply(tenantId, undefined);
  }
}
