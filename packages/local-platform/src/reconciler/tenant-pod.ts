/**
 * One tenant's gateway pod, kept in the state its manifests ask for — the
 * part of Kubernetes (Deployment controller + kubelet) the local platform
 * plays. Given a workload it creates the pod's network namespace, runs the
 * init containers, validates the ConfigMap's OpenClaw config with the real
 * `openclaw config validate --json` in the gateway container's own sandbox
 * (an invalid config is rejected with OpenClaw's message and never started),
 * starts the gateway, and routes it once its readiness probe passes. A crash
 * or failed liveness probe restarts it with Kubernetes' CrashLoopBackOff
 * delays; a new revision replaces it; no workload (suspended, deleted)
 * stops it. The PersistentVolumeClaim directory is never removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tenantNames } from '@openclaw-tenancy/shared';
import type { HostNetwork, NetworkPlan, PodNetwork } from '../host/host-network';
import { tenantAddressOf } from '../host/host-network';
import type { PodAddressBook } from '../host/pod-addresses';
import { failureSummary, logOffset, readLogSince } from '../pods/container-log';
import type { ContainerExit, ContainerProcess, PodPlacement, PodRuntime } from '../pods/pod-runtime';
import type { StateLayout } from '../state-layout';
import type { ContainerSpec, HttpProbe, TenantWorkload } from './tenant-workload';

export type TenantPodEvent =
  | { readonly type: 'validating'; readonly tenantId: string }
  | { readonly type: 'invalid'; readonly tenantId: string; readonly image: string; readonly issues: readonly string[] }
  | { readonly type: 'starting'; readonly tenantId: string; readonly image: string; readonly address: string }
  | {
      readonly type: 'ready';
      readonly tenantId: string;
      /** The gateway container's image. */
      readonly image: string;
      readonly owner: string;
      readonly address: string;
      readonly port: number;
      readonly startupMs: number;
    }
  | { readonly type: 'unready'; readonly tenantId: string }
  | {
      readonly type: 'failed';
      readonly tenantId: string;
      readonly image: string;
      readonly reason: string;
      readonly details: readonly string[];
      readonly restartInMs: number;
    }
  | { readonly type: 'stopped'; readonly tenantId: string };

export interface TenantPodEnvironment {
  readonly runtime: PodRuntime;
  readonly network: HostNetwork;
  readonly plan: NetworkPlan;
  readonly addresses: PodAddressBook;
  readonly layout: StateLayout;
  /** Variables every container of the tenant's pod gets (the local stand-in for Pod Identity). */
  injectedEnv(tenantId: string): Readonly<Record<string, string>>;
  report(event: TenantPodEvent): void;
  /** Polling interval until a starting gateway is ready (Kubernetes uses the probe's period; faster here so sign-up waits less). @default 250 */
  readonly startupPollMs?: number;
}

/** Kubernetes' CrashLoopBackOff: 10 s, doubling, at most 5 min; reset after 10 min of running. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const BACKOFF_RESET_AFTER_MS = 600_000;
const VALIDATE_ARGS = ['config', 'validate', '--json'];

type RunOutcome =
  | { readonly kind: 'superseded' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'failed'; readonly reason: string; readonly details: readonly string[]; readonly ranMs: number };

async function probe(address: string, p: HttpProbe): Promise<boolean> {
  try {
    const res = await fetch(`http://${address}:${p.port}${p.path}`, { signal: AbortSignal.timeout(p.timeoutSeconds * 1000) });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

export class TenantPod {
  private desired: TenantWorkload | undefined;
  private generation = 0;
  private container: ContainerProcess | undefined;
  private network: PodNetwork | undefined;
  private work: Promise<void> = Promise.resolve();
  /** Settles when `apply` changes the desired state, so every wait can stop early. */
  private changed = changeSignal();

  constructor(
    readonly tenantId: string,
    private readonly env: TenantPodEnvironment,
  ) {}

  /** Sets what should run (undefined: nothing) and converges in the background. */
  apply(workload: TenantWorkload | undefined): void {
    const running = workload && workload.replicas > 0 ? workload : undefined;
    if (running?.revision === this.desired?.revision) return;
    this.desired = running;
    const generation = ++this.generation;
    this.changed.resolve();
    this.changed = changeSignal();
    this.work = this.work.then(() => this.converge(generation));
  }

  /** Stops the gateway and removes the pod's network namespace; the tenant's volumes stay. */
  async remove(): Promise<void> {
    this.apply(undefined);
    await this.work;
  }

  private superseded(generation: number): boolean {
    return generation !== this.generation;
  }

  /** Waits `ms`, or less when the desired state changes meanwhile. */
  private pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([this.changed.promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
      clearTimeout(timer),
    );
  }

  private async stopContainer(): Promise<void> {
    const container = this.container;
    this.container = undefined;
    if (container) await container.stop((this.desired?.pod.terminationGracePeriodSeconds ?? 30) * 1000);
  }

  /**
   * Waits for a run-to-completion container (an init container, the config
   * check). If the desired state changes first, stops it (a hung one must not
   * keep a removal or Ctrl-C waiting) and answers undefined.
   */
  private async untilExitOrChange(process: ContainerProcess, generation: number): Promise<ContainerExit | undefined> {
    let exit: ContainerExit | undefined;
    while (!exit && !this.superseded(generation)) {
      exit = await Promise.race([process.exited, this.changed.promise.then(() => undefined)]);
    }
    if (!exit) await this.stopContainer();
    this.container = undefined;
    return this.superseded(generation) ? undefined : exit;
  }

  private async converge(generation: number): Promise<void> {
    if (this.superseded(generation)) return;
    const hadContainer = this.container !== undefined;
    this.env.report({ type: 'unready', tenantId: this.tenantId });
    await this.stopContainer();
    const workload = this.desired;
    if (!workload) {
      if (this.network) await this.env.network.removePod(this.network);
      this.network = undefined;
      if (hadContainer) this.env.report({ type: 'stopped', tenantId: this.tenantId });
      return;
    }
    let crashes = 0;
    while (!this.superseded(generation)) {
      // An error of the runtime itself (a volume, the sandbox, the image) is a failed start like any other:
      // reported, backed off and retried, never an unhandled rejection that takes the platform down.
      const outcome = await this.runOnce(workload, generation).catch(async (error: unknown): Promise<RunOutcome> => {
        await this.stopContainer();
        return { kind: 'failed', reason: `the pod could not be started: ${(error as Error).message}`, details: [], ranMs: 0 };
      });
      if (outcome.kind !== 'failed') return;
      crashes = outcome.ranMs >= BACKOFF_RESET_AFTER_MS ? 1 : crashes + 1;
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (crashes - 1));
      this.env.report({
        type: 'failed',
        tenantId: this.tenantId,
        image: gatewayImage(workload),
        reason: outcome.reason,
        details: outcome.details,
        restartInMs: delay,
      });
      await this.pause(delay);
    }
  }

  private async runOnce(workload: TenantWorkload, generation: number): Promise<RunOutcome> {
    const { runtime, layout } = this.env;
    const index = this.env.addresses.indexOf(this.tenantId);
    const address = tenantAddressOf(this.env.plan, index);
    this.network ??= await this.env.network.createPod(`t-${this.tenantId}`, address, index);
    const placement: PodPlacement = {
      podName: `${tenantNames(this.tenantId).deployment}-${this.tenantId}`,
      network: this.network,
      podDir: layout.tenantPodDir(this.tenantId),
      persistentDir: layout.tenantVolumesDir(this.tenantId),
      injectedEnv: this.env.injectedEnv(this.tenantId),
      compileCacheDir: path.join(layout.tenantDir(this.tenantId), 'compile-cache'),
    };
    const volumes = runtime.prepareVolumes(workload, placement);
    const started = Date.now();
    const run = (container: ContainerSpec, logName: string, args?: readonly string[]) => {
      const logFile = layout.tenantLogFile(this.tenantId, logName);
      const offset = logOffset(logFile);
      this.container = runtime.startContainer(workload, container, placement, volumes, logFile, args);
      return { process: this.container, output: () => readLogSince(logFile, offset) };
    };

    for (const init of workload.pod.initContainers) {
      const { process, output } = run(init, init.name);
      const exit = await this.untilExitOrChange(process, generation);
      if (!exit) return { kind: 'superseded' };
      if (exit.code !== 0)
        return {
          kind: 'failed',
          reason: `init container ${init.name} exited with code ${exit.code ?? exit.signal}`,
          details: failureSummary(output()),
          ranMs: 0,
        };
    }

    const gateway = workload.pod.containers[0] as ContainerSpec;
    const validatedFile = path.join(layout.tenantDir(this.tenantId), 'validated-revision');
    if (readIfExists(validatedFile) !== workload.revision) {
      this.env.report({ type: 'validating', tenantId: this.tenantId });
      const { process, output } = run(gateway, 'config-validate', VALIDATE_ARGS);
      const exit = await this.untilExitOrChange(process, generation);
      if (!exit) return { kind: 'superseded' };
      const verdict = parseValidation(output());
      if (!verdict)
        return {
          kind: 'failed',
          reason: `openclaw config validate exited with code ${exit.code ?? exit.signal} without a verdict`,
          details: failureSummary(output()),
          ranMs: 0,
        };
      if (!verdict.valid) {
        this.env.report({ type: 'invalid', tenantId: this.tenantId, image: gateway.image, issues: verdict.issues });
        return { kind: 'invalid' };
      }
      fs.writeFileSync(validatedFile, workload.revision);
    }

    this.env.report({ type: 'starting', tenantId: this.tenantId, image: gateway.image, address });
    const { process, output } = run(gateway, gateway.name);
    const startedGateway = Date.now();
    let exited = false;
    void process.exited.then(() => (exited = true));
    const readiness = gateway.readinessProbe ?? gateway.startupProbe;
    const startup = gateway.startupProbe ?? readiness;
    if (readiness && startup) {
      const deadline = startedGateway + startup.periodSeconds * startup.failureThreshold * 1000;
      let ready = false;
      while (!ready && !exited && !this.superseded(generation) && Date.now() < deadline) {
        ready = await probe(address, readiness);
        if (!ready) await this.pause(this.env.startupPollMs ?? 250);
      }
      if (this.superseded(generation)) return { kind: 'superseded' };
      if (!ready && !exited) {
        await this.stopContainer();
        return {
          kind: 'failed',
          reason: `the gateway was not ready within ${Math.round((deadline - startedGateway) / 1000)} s (startup probe ${startup.path})`,
          details: failureSummary(output()),
          ranMs: Date.now() - started,
        };
      }
    }
    if (!exited) {
      this.env.report({
        type: 'ready',
        tenantId: this.tenantId,
        image: gateway.image,
        owner: workload.owner,
        address,
        port: readiness?.port ?? 0,
        startupMs: Date.now() - startedGateway,
      });
      const liveness = gateway.livenessProbe;
      let failures = 0;
      while (!exited && !this.superseded(generation)) {
        await Promise.race([process.exited, this.pause((liveness?.periodSeconds ?? 10) * 1000)]);
        if (exited || this.superseded(generation) || !liveness) continue;
        failures = (await probe(address, liveness)) ? 0 : failures + 1;
        if (failures >= liveness.failureThreshold) {
          this.env.report({ type: 'unready', tenantId: this.tenantId });
          await this.stopContainer();
          return {
            kind: 'failed',
            reason: `liveness probe ${liveness.path} failed ${failures} times`,
            details: failureSummary(output()),
            ranMs: Date.now() - started,
          };
        }
      }
      if (this.superseded(generation)) return { kind: 'superseded' };
    }
    const exit = await process.exited;
    this.container = undefined;
    this.env.report({ type: 'unready', tenantId: this.tenantId });
    return {
      kind: 'failed',
      reason: `OpenClaw exited with code ${exit.code ?? exit.signal} ${Date.now() - startedGateway < 1000 ? 'at once' : `after ${Math.round((Date.now() - startedGateway) / 1000)} s`}`,
      details: failureSummary(output()),
      ranMs: Date.now() - started,
    };
  }
}

/** The image of a workload's gateway (its one container). */
export function gatewayImage(workload: TenantWorkload): string {
  return workload.pod.containers[0]?.image ?? '';
}

/** A promise with its resolver (Node 20 has no `Promise.withResolvers`). */
function changeSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** OpenClaw's `config validate --json` verdict: `{valid, issues: [{path, message}]}` on stdout. */
export function parseValidation(output: string): { valid: boolean; issues: string[] } | undefined {
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    const result = JSON.parse(output.slice(start, end + 1)) as {
      valid?: unknown;
      issues?: Array<{ path?: string; message?: string }>;
      error?: { message?: string };
    };
    if (typeof result.valid !== 'boolean') return undefined;
    const issues = (result.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.message ?? ''}` : (i.message ?? '')));
    if (!result.valid && issues.length === 0 && result.error?.message) issues.push(result.error.message);
    return { valid: result.valid, issues };
  } catch {
    return undefined;
  }
}
