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
  return address.split('.').map(Number).reduce((acc, o) => acc * 256 + o, 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface NetworkLayout {
  /** One per AZ: nodes and pods (VPC CNI prefix delegation needs room for /28 prefixes). */
  readonly privateSubnets: readonly string[];
  /** One per AZ: NAT gateways only. */
  readonly publicSubnets: readonly string[];
  /** One per AZ: interface VPC endpoints, so tenant egress can allow exactly these and nothing else in the VPC. */
  readonly endpointSubnets: readonly string[];
}

/**
 * The subnet plan of the VPC, computed from its CIDR. The CDK app builds the
 * VPC from it and the tenant NetworkPolicy allows HTTPS to the endpoint
 * subnets from it, so the two can never disagree (the reference blocked its
 * own VPC endpoints with a blanket `except 10.0.0.0/8`).
 *
 * Of a VPC of size S: private subnets are S/8 each at the start, public
 * subnets S/256 each from 3/8 of the way in, endpoint subnets S/512 each after
 * those. With a /16 that is /19 private, /24 public and /25 endpoint subnets.
 */
export function networkLayout(vpcCidr: string, availabilityZones: number): NetworkLayout {
  const parsed = parseIpv4Cidr(vpcCidr);
  if (typeof parsed === 'string') throw new Error(`invalid VPC CIDR ${JSON.stringify(vpcCidr)}: ${parsed}`);
  if (parsed.prefixLength > 18) throw new Error(`VPC CIDR ${vpcCidr} is too small; use /18 or larger`);
  if (availabilityZones < 1 || availabilityZones > 3) throw new Error(`availability zones must be 1-3, got ${availabilityZones}`);
  const base = toInt(parsed.address);
  const size = 2 ** (32 - parsed.prefixLength);
  const p = parsed.prefixLength;
  const subnet = (offset: number, prefix: number) => `${toAddress(base + offset)}/${prefix}`;
  const azs = [...Array(availabilityZones).keys()];
  return {
    privateSubnets: azs.map((i) => subnet((i * size) / 8, p + 3)),
    publicSubnets: azs.map((i) => subnet((size * 3) / 8 + (i * size) / 256, p + 8)),
    endpointSubnets: azs.map((i) => subnet((size * 3) / 8 + (4 * size) / 256 + (i * size) / 512, p + 9)),
  };
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
