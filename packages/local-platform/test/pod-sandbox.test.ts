import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureOpenClawRuntime } from '@openclaw-tenancy/openclaw-runtime';
import { HostNetwork, PodNetwork, tenantAddressOf } from '../src/host/host-network';
import { resolveSystemCommands } from '../src/host/system-commands';
import { sandboxCommand } from '../src/pods/pod-sandbox';
import { requireRoot } from './support/root-required';

const commands = resolveSystemCommands();
const plan = { namePrefix: 'oclut', subnet: '10.251' };

describe('pod sandbox: network, mount, PID and UTS namespaces, non-root, read-only root', () => {
  let network: HostNetwork;
  let pod: PodNetwork;
  let dir: string;
  let nodeDir: string;
  let hostServer: http.Server;

  beforeAll(async () => {
    requireRoot();
    nodeDir = (await ensureOpenClawRuntime({ log: () => undefined })).nodeDir;
    network = await HostNetwork.create(plan, commands);
    pod = await network.createPod('t-sandbox', tenantAddressOf(plan, 1), 1);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pod-sandbox-'));
    fs.mkdirSync(path.join(dir, 'root'));
    fs.mkdirSync(path.join(dir, 'state'));
    fs.chownSync(path.join(dir, 'state'), 1000, 1000);
    fs.writeFileSync(path.join(dir, 'secret-on-host.txt'), 'host only');
    // A service on host loopback: a pod must not reach it.
    hostServer = http.createServer((_q, r) => r.end('host'));
    await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
    // On a fresh machine this installs Node.js 24 and OpenClaw first (about a minute).
  }, 10 * 60_000);

  afterAll(async () => {
    hostServer?.close();
    await network?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function runInPod(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const { file, args } = sandboxCommand(
      {
        netnsPath: pod.path,
        rootMountPoint: path.join(dir, 'root'),
        hostname: 'openclaw-gateway-test',
        uid: 1000,
        gid: 1000,
        groups: [1000],
        mounts: [
          { kind: 'bind', source: nodeDir, target: '/usr/local', readOnly: true },
          { kind: 'tmpfs', target: '/tmp', mode: 0o1777, sizeMiB: 64 },
          { kind: 'bind', source: path.join(dir, 'state'), target: '/home/node/.openclaw', readOnly: false },
        ],
        workingDir: '/home/node/.openclaw',
        command: ['/usr/local/bin/node', '-e', script],
      },
      commands,
    );
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOST_PORT: String((hostServer.address() as { port: number }).port) },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('runs the command as uid 1000, PID 1, with its own host name and address', async () => {
    const out = await runInPod(`
      const os = require('os');
      console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), pid: process.pid, host: os.hostname(), user: os.userInfo().username,
        addrs: Object.values(os.networkInterfaces()).flat().map(a => a.address) }));`);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      uid: 1000,
      gid: 1000,
      pid: 1,
      host: 'openclaw-gateway-test',
      user: 'node',
      addrs: expect.arrayContaining(['127.0.0.1', '10.251.1.1']),
    });
  });

  it('sees a read-only root without the host files, writable volumes only, and no host loopback', async () => {
    const out = await runInPod(`
      const fs = require('fs');
      const tryWrite = (f) => { try { fs.writeFileSync(f, 'x'); return 'written'; } catch (e) { return e.code; } };
      const net = require('net');
      const s = net.connect(Number(process.env.HOST_PORT), '127.0.0.1');
      s.on('connect', () => { report('connected'); });
      s.on('error', (e) => { report(e.code); });
      function report(hostLoopback) {
        console.log(JSON.stringify({ etc: tryWrite('/etc/passwd'), usr: tryWrite('/usr/x'), tmp: tryWrite('/tmp/x'), state: tryWrite('/home/node/.openclaw/x'),
          hostFile: fs.existsSync(${JSON.stringify(path.join(dir, 'secret-on-host.txt'))}), work: fs.existsSync('/work'), procs: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)), hostLoopback }));
      }`);
    expect(JSON.parse(out.stdout)).toEqual({
      etc: 'EROFS',
      usr: 'EROFS',
      tmp: 'written',
      state: 'written',
      hostFile: false,
      work: false,
      procs: ['1'],
      hostLoopback: 'ECONNREFUSED',
    });
    expect(fs.statSync(path.join(dir, 'state', 'x')).uid).toBe(1000);
  });
});
