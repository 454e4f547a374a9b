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
