/**
 * The kubelet's part for one tenant pod: materialises its volumes on the host
 * (ConfigMap files with their mode, emptyDirs created fresh for every pod,
 * the PersistentVolumeClaim as a per-tenant directory that outlives pods) and
 * runs its containers in pod sandboxes on the pod's network namespace.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OpenClawRuntime } from '@openclaw-tenancy/openclaw-runtime';
import type { PodNetwork } from '../host/host-network';
import type { SystemCommands } from '../host/system-commands';
import type { ContainerSpec, TenantWorkload } from '../reconciler/tenant-workload';
import type { ConfigMapFileOverlay } from '../model/local-model-config';
import { localOpenClawImage } from './openclaw-image';
import { SandboxMount, sandboxCommand } from './pod-sandbox';

export interface PodPlacement {
  /** The pod's host name (Kubernetes: the pod name). */
  readonly podName: string;
  readonly network: PodNetwork;
  /** Ephemeral per-pod directory: emptyDirs, ConfigMap files, container roots, logs. */
  readonly podDir: string;
  /** Where PersistentVolumeClaims live (`<dir>/<claimName>`); kept across pods. */
  readonly persistentDir: string;
  /** Environment every container gets on top of its own (the local stand-in for Pod Identity's injected variables). */
  readonly injectedEnv: Readonly<Record<string, string>>;
  /** Host directory of the pod's V8 compile cache, kept across pods (the image's own cache in the cluster). @default - none */
  readonly compileCacheDir?: string;
}

export interface ContainerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ContainerProcess {
  readonly pid: number;
  readonly exited: Promise<ContainerExit>;
  /** SIGTERM to the container, SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs: number): Promise<ContainerExit>;
}

export class PodRuntime {
  constructor(
    private readonly commands: SystemCommands,
    private readonly runtime: OpenClawRuntime,
    /** The local differences in ConfigMap files (the model provider); @default - files written as the ConfigMap holds them */
    private readonly configMapOverlay?: ConfigMapFileOverlay,
  ) {}

  /** Volume name → host directory, ready to be mounted. Ephemeral volumes start empty, as for a new pod. */
  prepareVolumes(workload: TenantWorkload, placement: PodPlacement): Map<string, string> {
    const volumesDir = path.join(placement.podDir, 'volumes');
    fs.rmSync(volumesDir, { recursive: true, force: true });
    fs.mkdirSync(volumesDir, { recursive: true, mode: 0o755 });
    const owner = workload.pod.fsGroup ?? workload.pod.runAsGroup;
    const dirs = new Map<string, string>();
    for (const volume of workload.pod.volumes) {
      if (volume.kind === 'persistentVolumeClaim') {
        const dir = path.join(placement.persistentDir, volume.claimName);
        if (!fs.existsSync(dir)) {
          fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
          // As an EFS access point would: the directory belongs to the pod's user.
          fs.chownSync(dir, workload.pod.runAsUser, owner);
        }
        dirs.set(volume.name, dir);
        continue;
      }
      const dir = path.join(volumesDir, volume.name);
      fs.mkdirSync(dir);
      if (volume.kind === 'emptyDir') {
        fs.chmodSync(dir, 0o777);
      } else {
        // Root-owned directory and files: the gateway can read its config but never rewrite it.
        for (const [file, original] of Object.entries(workload.configMaps[volume.configMap] ?? {})) {
          const content = this.configMapOverlay ? this.configMapOverlay(workload.tenantId, volume.configMap, file, original) : original;
          fs.writeFileSync(path.join(dir, file), content, { mode: volume.defaultMode });
          fs.chmodSync(path.join(dir, file), volume.defaultMode);
        }
      }
      dirs.set(volume.name, dir);
    }
    return dirs;
  }

  /**
   * Starts `container` of the pod. `argsOverride` replaces the container's
   * args (the platform runs `config validate --json` with the gateway's own
   * command, mounts and environment before it starts the gateway).
   */
  startContainer(
    workload: TenantWorkload,
    container: ContainerSpec,
    placement: PodPlacement,
    volumes: Map<string, string>,
    logFile: string,
    argsOverride?: readonly string[],
  ): ContainerProcess {
    const uid = container.runAsUser ?? workload.pod.runAsUser;
    const gid = container.runAsGroup ?? workload.pod.runAsGroup;
    if (placement.compileCacheDir && !fs.existsSync(placement.compileCacheDir)) {
      fs.mkdirSync(placement.compileCacheDir, { recursive: true, mode: 0o700 });
      fs.chownSync(placement.compileCacheDir, uid, gid);
    }
    const image = localOpenClawImage(container.image, this.runtime, placement.compileCacheDir);
    const volumeMounts: SandboxMount[] = container.volumeMounts.map((m) => ({
      kind: 'bind',
      source: volumes.get(m.name) ?? '',
      target: m.mountPath,
      readOnly: m.readOnly,
    }));
    const rootMountPoint = path.join(placement.podDir, 'roots', container.name);
    fs.mkdirSync(rootMountPoint, { recursive: true });
    const { file, args } = sandboxCommand(
      {
        netnsPath: placement.network.path,
        rootMountPoint,
        hostname: placement.podName,
        uid,
        gid,
        groups: workload.pod.fsGroup === undefined ? [] : [workload.pod.fsGroup],
        mounts: [...image.mounts, ...volumeMounts],
        workingDir: container.workingDir ?? '/',
        command: [...container.command, ...(argsOverride ?? container.args)],
      },
      this.commands,
    );
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const log = fs.openSync(logFile, 'a');
    const child: ChildProcess = spawn(file, args, {
      // Built from scratch, like a container's: image env, then the container's own, then injected credentials.
      env: { ...image.env, HOSTNAME: placement.podName, ...container.env, ...placement.injectedEnv },
      stdio: ['ignore', log, log],
      // Its own process group, so one signal reaches the whole chain down to the container's PID 1.
      detached: true,
    });
    fs.closeSync(log);
    const exited = new Promise<ContainerExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: 127, signal: null }));
    });
    const pid = child.pid ?? -1;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // the group is gone already
      }
    };
    return {
      pid,
      exited,
      async stop(graceMs) {
        signalGroup('SIGTERM');
        const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      },
    };
  }
}
