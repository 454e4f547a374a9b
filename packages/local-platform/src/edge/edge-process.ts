/**
 * Entry point of the edge process, which the platform starts inside the
 * edge's own network namespace (so the gateways see requests from the edge's
 * address, the only one they trust). It runs `startEdge` from
 * packages/edge and learns where tenant gateways are over the IPC channel
 * with the platform; it exits when that channel closes, so it never outlives
 * the platform.
 */
import { startEdge, type UpstreamTarget } from '@openclaw-tenancy/edge';
import { startLoopbackForwarder } from '../host/loopback-forwarder';
import type { EdgeProcessMessage, EdgeProcessOptions, PlatformToEdgeMessage } from './edge-messages';

function send(message: EdgeProcessMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.LOCAL_EDGE_OPTIONS ?? '{}') as EdgeProcessOptions;
  const upstreams = new Map<string, UpstreamTarget>();
  process.on('message', (message: PlatformToEdgeMessage) => {
    if (message.type !== 'upstreams') return;
    upstreams.clear();
    for (const [tenantId, target] of Object.entries(message.upstreams)) upstreams.set(tenantId, target);
  });
  process.on('disconnect', () => process.exit(0));
  for (const relay of options.loopbackRelays) await startLoopbackForwarder(relay);
  const edge = await startEdge({
    identity: options.identity,
    resolveUpstream: (tenantId) => upstreams.get(tenantId),
    host: options.host,
    port: options.port,
    authUi: { directory: options.authUiDir, runtimeConfig: options.runtimeConfig },
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    onTenantActivity: (activity) => send({ type: 'tenant-activity', activity }),
  });
  send({ type: 'listening', url: edge.url });
  process.once('SIGTERM', () => void edge.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: (error as Error).message });
  process.exit(1);
});
