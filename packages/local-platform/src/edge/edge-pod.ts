/**
 * Runs the local edge (packages/edge) as its own process in its own network
 * namespace, like the edge's Envoy pods in the cluster: OpenClaw trusts only
 * the edge's address, never loopback or the host (docs/adr/0400). The
 * platform keeps its routing table current over IPC.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TenantActivityListener, UpstreamTarget } from '@openclaw-tenancy/edge';
import { stopChildProcess } from '../host/child-process-stop';
import type { PodNetwork } from '../host/host-network';
import type { SystemCommands } from '../host/system-commands';
import type { EdgeProcessMessage, EdgeProcessOptions, PlatformToEdgeMessage } from './edge-messages';

/** `nobody`: the edge needs no file it does not share with everyone (the built auth UI, the code). */
const EDGE_UID = 65534;

export interface EdgePod {
  readonly url: string;
  /** Settles with a message if the edge exits while it was not being stopped (it is not restarted). */
  readonly unexpectedExit: Promise<string>;
  route(upstreams: ReadonlyMap<string, UpstreamTarget>): void;
  /** Receives each authenticated request and WebSocket the edge forwards per tenant (never a refused one). */
  onTenantActivity(listener: TenantActivityListener): void;
  stop(): Promise<void>;
}

export async function startEdgePod(
  network: PodNetwork,
  options: EdgeProcessOptions,
  commands: SystemCommands,
  logFile: string,
): Promise<EdgePod> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const entry = path.join(__dirname, 'edge-process.ts');
  // nsenter and setpriv exec in place, so the IPC descriptor reaches node; --pdeathsig ends the edge with the platform.
  // The edge parses untrusted HTTP and tokens from every pod and browser: after entering its namespace it runs
  // as nobody, without capabilities (its port is unprivileged), so it cannot read the secrets store or touch the host.
  const child: ChildProcess = spawn(
    commands.setpriv,
    [
      '--pdeathsig=SIGTERM',
      '--',
      commands.nsenter,
      `--net=${network.path}`,
      '--',
      commands.setpriv,
      `--reuid=${EDGE_UID}`,
      `--regid=${EDGE_UID}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      // The kernel clears the parent-death signal on a uid change; keep it.
      '--pdeathsig=keep',
      '--',
      process.execPath,
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      entry,
    ],
    // Its own process group: a terminal's Ctrl-C reaches only the platform, which stops the edge in order.
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOCAL_EDGE_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', log, log, 'ipc'],
      detached: true,
    },
  );
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: EdgeProcessMessage) => {
      if (message.type === 'listening') resolve(message.url);
      else if (message.type === 'failed') reject(new Error(`the edge did not start: ${message.message}`));
    });
    void exited.then(() => reject(new Error(`the edge exited during start; see ${logFile}`)));
  });
  const activityListeners: TenantActivityListener[] = [];
  child.on('message', (message: EdgeProcessMessage) => {
    if (message.type === 'tenant-activity') for (const listener of activityListeners) listener(message.activity);
  });
  let stopping = false;
  const unexpectedExit = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping)
        resolve(`the edge exited (${signal ?? `code ${code}`}); workspaces are unreachable until the platform restarts — see ${logFile}`);
    });
  });
  return {
    url,
    unexpectedExit,
    route(upstreams) {
      const message: PlatformToEdgeMessage = { type: 'upstreams', upstreams: Object.fromEntries(upstreams) };
      if (child.connected) child.send(message);
    },
    onTenantActivity(listener) {
      activityListeners.push(listener);
    },
    async stop() {
      stopping = true;
      await stopChildProcess(child, exited, 5000);
    },
  };
}
