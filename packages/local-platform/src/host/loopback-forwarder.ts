/**
 * A TCP relay from a loopback port of the host to an address on the pod
 * network. The edge and the user pool endpoint live on the platform's bridge,
 * which only this machine reaches; through a loopback port the same URL works
 * in a browser on this machine and, with `ssh -L`, on a person's laptop
 * (the public origin of the local platform is this loopback URL, so the
 * gateways' origin check holds for both).
 */
import * as net from 'node:net';

export interface LoopbackForwarderOptions {
  /** The loopback port to listen on. */
  readonly port: number;
  readonly targetHost: string;
  readonly targetPort: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface LoopbackForwarder {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startLoopbackForwarder(options: LoopbackForwarderOptions): Promise<LoopbackForwarder> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: options.targetHost, port: options.targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    // Either side closing or failing ends both: no half-open relays.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    origin: `http://${host}:${options.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
