import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostNetwork, NetworkPlanError, podMacAddress, tenantAddressOf } from '../src/host/host-network';
import { resolveSystemCommands } from '../src/host/system-commands';
import { requireRoot } from './support/root-required';

const commands = resolveSystemCommands();
const namespaces = (prefix: string) =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${prefix}-`));

const hostLinks = (prefix: string) =>
  execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\d+:\s+([^@:]+)/.exec(l)?.[1] ?? '')
    .filter((n) => n.startsWith(prefix));

describe('pod network: bridge and namespaces', () => {
  beforeAll(() => requireRoot());

  it('lays tenant addresses out on the /16, 254 per third octet', () => {
    const plan = { namePrefix: 'ocl', subnet: '10.203' };
    expect([1, 2, 254, 255, 600].map((i) => tenantAddressOf(plan, i))).toEqual([
      '10.203.1.1',
      '10.203.1.2',
      '10.203.1.254',
      '10.203.2.1',
      '10.203.3.92',
    ]);
  });

  it('fails on a prefix that would not fit interface names, or a subnet that is not a private /16', async () => {
    await expect(HostNetwork.create({ namePrefix: 'toolongprefix', subnet: '10.203' }, commands)).rejects.toThrow(/1-6 lower-case letters/);
    await expect(HostNetwork.create({ namePrefix: 'ocl', subnet: '8.8' }, commands)).rejects.toThrow(NetworkPlanError);
  });

  it('removes the leftovers of a crashed run with the same prefix, and refuses a subnet another bridge uses', async () => {
    const plan = { namePrefix: 'oclnt', subnet: '10.252' };
    const crashed = await HostNetwork.create(plan, commands);
    await crashed.createPod('t-alice', tenantAddressOf(plan, 1), 1);
    expect(namespaces('oclnt')).toEqual(['oclnt-t-alice']);

    // A new run with the same prefix, without the crashed one having cleaned up.
    const next = await HostNetwork.create(plan, commands);
    expect(namespaces('oclnt')).toEqual([]);
    await expect(HostNetwork.create({ namePrefix: 'oclnu', subnet: '10.252' }, commands)).rejects.toThrow(
      /10\.252\.0\.0\/16 is already used by interface oclnt-br/,
    );
    await next.destroy();
    expect(() => execFileSync('ip', ['link', 'show', 'oclnt-br'], { stdio: 'ignore' })).toThrow();
    await crashed.destroy();
  });

  it("gives a pod started again the MAC its peers' neighbour caches hold for its address, so a wake's first connection does not hang", async () => {
    expect(podMacAddress('10.203.1.1')).toBe('0a:58:0a:cb:01:01');
    expect(podMacAddress('10.203.2.254')).toBe('0a:58:0a:cb:02:fe');
    expect(() => podMacAddress('10.203.1')).toThrow(/not an IPv4 address/);
    const plan = { namePrefix: 'oclnm', subnet: '10.250' };
    const network = await HostNetwork.create(plan, commands);
    try {
      const address = tenantAddressOf(plan, 1);
      const macOf = () =>
        /link\/ether ([0-9a-f:]+)/.exec(execFileSync('ip', ['-n', 'oclnm-t-alice', 'link', 'show', 'eth0'], { encoding: 'utf8' }))?.[1];
      await network.createPod('t-alice', address, 1);
      const first = macOf();
      // A wake: the pod's namespace and veth are made again.
      await network.createPod('t-alice', address, 1);
      expect(first).toBe(podMacAddress(address));
      expect(macOf()).toBe(first);
    } finally {
      await network.destroy();
    }
  });

  it('re-creates a pod whose old namespace outlives `ip netns del` with its veth still on the host', async () => {
    const plan = { namePrefix: 'oclnv', subnet: '10.251' };
    const network = await HostNetwork.create(plan, commands);
    const pod = await network.createPod('t-bob', tenantAddressOf(plan, 1), 1);
    // A second mount of the namespace keeps it (and the veth pair in it) alive after it is deleted by name, as a
    // process that has not finished dying does.
    const holder = fs.mkdtempSync(path.join(os.tmpdir(), 'netns-holder-'));
    const held = path.join(holder, 'ns');
    fs.writeFileSync(held, '');
    execFileSync('mount', ['--bind', pod.path, held]);
    try {
      await network.removePod(pod);
      expect(hostLinks('oclnv')).toContain('oclnvv1');

      const again = await network.createPod('t-bob', tenantAddressOf(plan, 1), 1);
      expect(execFileSync('ip', ['-n', again.name, '-4', '-o', 'addr', 'show', 'eth0'], { encoding: 'utf8' })).toContain('10.251.1.1/16');
      // And a new run removes a stray host side too.
      execFileSync('ip', ['link', 'add', 'oclnvv7', 'type', 'veth', 'peer', 'name', 'oclnvp7']);
      const next = await HostNetwork.create(plan, commands);
      expect(hostLinks('oclnv')).toEqual(['oclnv-br']);
      await next.destroy();
    } finally {
      execFileSync('umount', [held]);
      fs.rmSync(holder, { recursive: true });
      await network.destroy();
    }
  });
});
