/** IPv4 CIDR parsing, enough for config validation and NetworkPolicy `except` blocks. */

export interface Ipv4Cidr {
  readonly address: string;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n` with a host part of zero; returns a reason string when invalid. */
export function parseIpv4Cidr(value: string): Ipv4Cidr | string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return 'expected an IPv4 CIDR such as 10.40.0.0/16';
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255)) return 'each address octet must be 0-255';
  if (prefixLength > 32) return 'the prefix length must be 0-32';
  const asInt = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - prefixLength;
  if (hostBits > 0 && asInt % 2 ** hostBits !== 0) {
    return `the address has host bits set for /${prefixLength}; did you mean ${networkAddress(asInt, prefixLength)}/${prefixLength}?`;
  }
  return { address: octets.join('.'), prefixLength };
}

function networkAddress(asInt: number, prefixLength: number): string {
  const block = 2 ** (32 - prefixLength);
  const net = Math.floor(asInt / block) * block;
  return [24, 16, 8, 0].map((shift) => Math.floor(net / 2 ** shift) % 256).join('.');
}

function toInt(address: string): number {
  return address
    .split('.')
    .map(Number)
    .reduce((acc, o) => acc * 256 + o, 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Interface endpoints are reached on their own small subnets, one per AZ. */
export const ENDPOINT_SUBNET_PREFIX = 26;
/** NAT gateways and the internet gateway live here; nothing else does. */
export const PUBLIC_SUBNET_PREFIX = 24;

export interface NetworkLayout {
  /** Prefix length of each private (nodes and pods) subnet. */
  readonly privateSubnetPrefix: number;
  /** One per AZ: nodes and pods (VPC CNI prefix delegation needs room for /28 prefixes). */
  readonly privateSubnetCidrs: readonly string[];
  /** One per AZ: interface VPC endpoints, so tenant egress can allow exactly these and nothing else in the VPC. */
  readonly endpointSubnetCidrs: readonly string[];
  /** One per AZ: NAT gateways only. */
  readonly publicSubnetCidrs: readonly string[];
}

/**
 * The subnet plan of the VPC, computed from the config alone. The CDK `Vpc`
 * allocates its subnets with exactly this algorithm (sequential, aligned,
 * largest first; a CDK test keeps the two equal) and the tenant NetworkPolicy
 * allows HTTPS to the endpoint subnets from it, so the two can never disagree
 * (a blanket `except 10.0.0.0/8` would block the platform's own VPC endpoints).
 *
 * Half of the VPC goes to node and pod subnets, split evenly across the AZs:
 * with prefix delegation every node takes /28 blocks, so these subnets must be
 * large (a /16 with 2 AZs gives a /18 per AZ, room for ~1000 prefixes).
 */
export function networkLayout(vpcCidr: string, availabilityZones: number): NetworkLayout {
  const parsed = parseIpv4Cidr(vpcCidr);
  if (typeof parsed === 'string') throw new Error(`network.vpcCidr "${vpcCidr}": ${parsed}`);
  if (!Number.isInteger(availabilityZones) || availabilityZones < 1) {
    throw new Error(`network.availabilityZones must be a positive whole number, got ${availabilityZones}`);
  }
  const privateSubnetPrefix = parsed.prefixLength + Math.ceil(Math.log2(availabilityZones)) + 1;
  const base = toInt(parsed.address);
  const end = base + 2 ** (32 - parsed.prefixLength);
  let next = base;
  const allocate = (prefix: number): string => {
    const size = 2 ** (32 - prefix);
    const start = Math.ceil(next / size) * size;
    if (start + size > end) {
      throw new Error(
        `network.vpcCidr "${vpcCidr}" is too small for ${availabilityZones} availability zones; use a larger range (a /16 is recommended)`,
      );
    }
    next = start + size;
    return `${toAddress(start)}/${prefix}`;
  };
  const times = (prefix: number) => Array.from({ length: availabilityZones }, () => allocate(prefix));
  const privateSubnetCidrs = times(privateSubnetPrefix);
  const endpointSubnetCidrs = times(ENDPOINT_SUBNET_PREFIX);
  const publicSubnetCidrs = times(PUBLIC_SUBNET_PREFIX);
  return { privateSubnetPrefix, privateSubnetCidrs, endpointSubnetCidrs, publicSubnetCidrs };
}

/** Whether `inner` (a CIDR or a plain address) lies entirely within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseIpv4Cidr(outer);
  const i = parseIpv4Cidr(inner.includes('/') ? inner : `${inner}/32`);
  if (typeof o === 'string' || typeof i === 'string') return false;
  if (i.prefixLength < o.prefixLength) return false;
  const block = 2 ** (32 - o.prefixLength);
  return Math.floor(toInt(i.address) / block) === Math.floor(toInt(o.address) / block);
}
