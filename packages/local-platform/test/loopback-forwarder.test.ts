import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freeLoopbackPort } from '@openclaw-tenancy/lambdas/testing';
import { startLoopbackForwarder } from '../src/host/loopback-forwarder';

describe('the loopback forwarder', () => {
  it('relays HTTP from a loopback port to the target, keeping the Host header the browser sent', async () => {
    const target = http.createServer((req, res) => res.end(`host=${req.headers.host} path=${req.url}`));
    await new Promise<void>((r) => target.listen(0, '127.0.0.2', r));
    const port = await freeLoopbackPort();
    const forwarder = await startLoopbackForwarder({ port, targetHost: '127.0.0.2', targetPort: (target.address() as AddressInfo).port });
    try {
      expect(forwarder.origin).toBe(`http://127.0.0.1:${port}`);
      expect(await (await fetch(`${forwarder.origin}/t/alice/`)).text()).toBe(`host=127.0.0.1:${port} path=/t/alice/`);
    } finally {
      await forwarder.close();
      await new Promise<void>((r) => target.close(() => r()));
    }
  });

  it('closes the browser’s connection when the target is not listening', async () => {
    const port = await freeLoopbackPort();
    const unused = await freeLoopbackPort();
    const forwarder = await startLoopbackForwarder({ port, targetHost: '127.0.0.1', targetPort: unused });
    try {
      await expect(fetch(`${forwarder.origin}/`)).rejects.toThrow();
    } finally {
      await forwarder.close();
    }
  });

  it('fails if the port is taken, with the EADDRINUSE the platform turns into a message naming the option', async () => {
    const port = await freeLoopbackPort();
    const first = await startLoopbackForwarder({ port, targetHost: '127.0.0.1', targetPort: 1 });
    try {
      await expect(startLoopbackForwarder({ port, targetHost: '127.0.0.1', targetPort: 1 })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
