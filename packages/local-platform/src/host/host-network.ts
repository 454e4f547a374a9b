/**
 * The pod network of the local platform: one Linux bridge on the host and one
 * network namespace per "pod" (the edge, each tenant gateway), joined to the
 * bridge by a veth pair. Every pod has its own address, so
 *
 * - each gateway listens on the port and bind mode its ConfigMap says
 *   (`bind: lan`, 18789) without clashing with the others, and
 * - OpenClaw's `trustedProxies` holds the edge's own address only: loopback
 *   and the host are never trusted, so no process next to a gateway (or on the
 *   host) can forge the identity header (docs/adr/0400).
 *
 * Layout for subnet `10.203`: host (bridge) 10.203.0.1, edge 10.203.0.2,
 * tenant n 10.203.(1 + ⌊(n-1)/254⌋).(1 + (n-1) mod 254). Names start with a
 * prefix so leftovers of a crashed run are recognised and removed, and two
 * instances (a developer's and the e2e test's) can coexist.
 */
import { CommandError, SystemCommands, runHostCommand } from './system-commands';

export interface NetworkPlan {
  /** Prefix of the bridge, namespace and interface names (1-6 lower-case letters/digits). */
  readonly namePrefix: string;
  /** First two octets of the /16 the platform uses, e.g. `10.203`. */
  readonly subnet: string;
}

export interface PodNetwork {
  /** Namespace name (`ip netns`), e.g. `ocl-t-alice`. */
  readonly name: string;
  /** `/run/netns/<name>`, for `nsenter --net=`. */
  readonly path: string;
  readonly address: string;
}

export class NetworkPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkPlanError';
  }
}

const PREFIX = /^[a-z][a-z0-9]{0,5}$/;
const SUBNET = /^(10\.(\d{1,3})|192\.168)$/;

export function validateNetworkPlan(plan: NetworkPlan): void {
  if (!PREFIX.test(plan.namePrefix))
    throw new NetworkPlanError(`network name prefix "${plan.namePrefix}" must be 1-6 lower-case letters or digits, starting with a letter`);
  const m = SUBNET.exec(plan.subnet);
  if (!m || (m[2] !== undefined && Number(m[2]) > 255))
    throw new NetworkPlanError(`subnet "${plan.subnet}" must be the first two octets of a private /16, e.g. 10.203`);
}

export const hostAddressOf = (plan: NetworkPlan): string => `${plan.subnet}.0.1`;
export const edgeAddressOf = (plan: NetworkPlan): string => `${plan.subnet}.0.2`;

/** Address of the tenant pod with allocation index `index` (1-based, at most 254 × 254). */
export function tenantAddressOf(plan: NetworkPlan, index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > 254 * 254)
    throw new NetworkPlanError(`tenant address index ${index} is out of range`);
  return `${plan.subnet}.${1 + Math.floor((index - 1) / 254)}.${1 + ((index - 1) % 254)}`;
}

/** How often a veth is re-created, 100 ms apart, while the kernel still holds its name. */
const VETH_NAME_ATTEMPTS = 30;

/** `0a:58:` and the address's four bytes: locally administered, unicast, one per address (the CNI bridge plugin's form). */
export function podMacAddress(address: string): string {
  const bytes = address.split('.').map(Number);
  if (bytes.length !== 4 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) throw new Error(`not an IPv4 address: ${address}`);
  return ['0a', '58', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

const inSubnet = (address: string, plan: NetworkPlan): boolean => address.startsWith(`${plan.subnet}.`);

export class HostNetwork {
  readonly bridge: string;
  readonly hostAddress: string;
  private readonly namespaces = new Set<string>();

  private constructor(
    readonly plan: NetworkPlan,
    private readonly commands: SystemCommands,
  ) {
    this.bridge = `${plan.namePrefix}-br`;
    this.hostAddress = hostAddressOf(plan);
  }

  /**
   * Removes what a crashed run with the same prefix left behind, checks that
   * no other interface or route uses the subnet, and creates the bridge.
   */
  static async create(plan: NetworkPlan, commands: SystemCommands): Promise<HostNetwork> {
    validateNetworkPlan(plan);
    const network = new HostNetwork(plan, commands);
    await network.removeLeftovers();
    await network.assertSubnetUnused();
    await network.ip('link', 'add', network.bridge, 'type', 'bridge');
    await network.ip('addr', 'add', `${network.hostAddress}/16`, 'dev', network.bridge);
    await network.ip('link', 'set', network.bridge, 'up');
    return network;
  }

  /** A namespace with one interface on the bridge; `vethIndex` makes the host-side interface name unique. */
  async createPod(name: string, address: string, vethIndex: number | 'edge'): Promise<PodNetwork> {
    const ns = `${this.plan.namePrefix}-${name}`;
    const hostSide = `${this.plan.namePrefix}v${vethIndex === 'edge' ? 'e' : vethIndex}`;
    await this.removeNamespace(ns);
    // A deleted namespace is destroyed only when its last process has exited and the kernel's cleanup has run, so the
    // host side of its veth pair can outlive `ip netns del` for a moment (or for good, if something else holds the
    // namespace open). Deleting the host side removes the pair wherever its peer lives.
    await this.deleteLink(hostSide);
    await this.ip('netns', 'add', ns);
    this.namespaces.add(ns);
    await this.addVeth(hostSide, ns);
    await this.ip('link', 'set', hostSide, 'master', this.bridge, 'up');
    // The pod's MAC follows from its address, as the CNI bridge plugin makes it: a pod started again (a wake) keeps the
    // MAC its peers' neighbour caches hold for that address. A fresh random one would leave them sending to a MAC no
    // longer on the bridge until their entries expire — tens of seconds in which connections to the new pod hang.
    await this.ip('-n', ns, 'link', 'set', 'eth0', 'address', podMacAddress(address));
    await this.ip('-n', ns, 'addr', 'add', `${address}/16`, 'dev', 'eth0');
    await this.ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await this.ip('-n', ns, 'link', 'set', 'lo', 'up');
    return { name: ns, path: `/run/netns/${ns}`, address };
  }

  /** Kills whatever still runs in the namespace (only our pods ever run there) and deletes it with its veth pair. */
  async removeNamespace(ns: string): Promise<void> {
    const existing = (await this.ip('netns', 'list')).split('\n').map((l) => l.split(' ')[0]);
    if (!existing.includes(ns)) return;
    const pids = (await this.ip('netns', 'pids', ns)).split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.ip('netns', 'del', ns);
    this.namespaces.delete(ns);
  }

  async removePod(pod: PodNetwork): Promise<void> {
    await this.removeNamespace(pod.name);
  }

  /** Removes every namespace this network created and the bridge. */
  async destroy(): Promise<void> {
    for (const ns of [...this.namespaces]) await this.removeNamespace(ns);
    await this.deleteLink(this.bridge);
  }

  private async removeLeftovers(): Promise<void> {
    const names = (await this.ip('netns', 'list')).split('\n').map((l) => l.split(' ')[0] ?? '');
    for (const ns of names.filter((n) => n.startsWith(`${this.plan.namePrefix}-`))) await this.removeNamespace(ns);
    const hostSides = new RegExp(`^\\d+:\\s+(${this.plan.namePrefix}v(?:e|\\d+))[@:]`);
    for (const line of (await this.ip('-o', 'link', 'show')).split('\n')) {
      const link = hostSides.exec(line)?.[1];
      if (link) await this.deleteLink(link);
    }
    await this.deleteLink(this.bridge);
  }

  /** The kernel frees a deleted interface's name asynchronously, so a name just deleted may still be taken for a moment. */
  private async addVeth(hostSide: string, ns: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
        return;
      } catch (e) {
        if (!(e instanceof CommandError) || !/File exists/.test(e.stderr) || attempt === VETH_NAME_ATTEMPTS) throw e;
        await this.deleteLink(hostSide);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private async deleteLink(name: string): Promise<void> {
    try {
      await this.ip('link', 'del', name);
    } catch (e) {
      if (!(e instanceof CommandError) || !/Cannot find device|does not exist/.test(e.stderr)) throw e;
    }
  }

  private async assertSubnetUnused(): Promise<void> {
    for (const line of (await this.ip('-4', '-o', 'addr', 'show')).split('\n')) {
      const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\//.exec(line);
      if (m && inSubnet(m[2] ?? '', this.plan)) {
        throw new NetworkPlanError(
          `${this.plan.subnet}.0.0/16 is already used by interface ${m[1]} (${m[2]}); choose another subnet with --subnet`,
        );
      }
    }
    for (const line of (await this.ip('-4', 'route', 'show')).split('\n')) {
      const dest = line.split(' ')[0] ?? '';
      if (dest !== 'default' && inSubnet(dest, this.plan))
        throw new NetworkPlanError(`a route to ${dest} already exists (${line.trim()}); choose another subnet with --subnet`);
    }
  }

  private ip(...args: string[]): Promise<string> {
    return runHostCommand(this.commands.ip, args);
  }
}
