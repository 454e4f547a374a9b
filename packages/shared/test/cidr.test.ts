import { cidrContains, networkLayout, parseIpv4Cidr } from '../src';

describe('networkLayout', () => {
  it('plans a /16 across three AZs: large aligned private subnets, then endpoint and public subnets', () => {
    expect(networkLayout('10.40.0.0/16', 3)).toEqual({
      privateSubnetPrefix: 19,
      privateSubnetCidrs: ['10.40.0.0/19', '10.40.32.0/19', '10.40.64.0/19'],
      endpointSubnetCidrs: ['10.40.96.0/26', '10.40.96.64/26', '10.40.96.128/26'],
      publicSubnetCidrs: ['10.40.97.0/24', '10.40.98.0/24', '10.40.99.0/24'],
    });
  });

  it('gives half the VPC to two private subnets', () => {
    expect(networkLayout('10.40.0.0/16', 2).privateSubnetCidrs).toEqual(['10.40.0.0/18', '10.40.64.0/18']);
  });

  it('produces only valid, aligned CIDRs without overlap', () => {
    const layout = networkLayout('10.0.0.0/8', 3);
    const all = [...layout.privateSubnetCidrs, ...layout.publicSubnetCidrs, ...layout.endpointSubnetCidrs];
    for (const c of all) expect(typeof parseIpv4Cidr(c)).toBe('object');
    for (const a of all) for (const b of all) if (a !== b) expect(cidrContains(a, b.split('/')[0] ?? '')).toBe(false);
  });

  it('fails if the CIDR is invalid or too small', () => {
    expect(() => networkLayout('10.40.0.1/16', 2)).toThrow(/network\.vpcCidr "10\.40\.0\.1\/16": the address has host bits set/);
    expect(() => networkLayout('10.0.0.0/27', 2)).toThrow(/too small/);
  });
});

describe('cidrContains', () => {
  it.each([
    ['0.0.0.0/0', '169.254.169.254', true],
    ['169.254.0.0/16', '169.254.169.254/32', true],
    ['10.40.0.0/16', '10.40.100.0/25', true],
    ['10.40.0.0/16', '10.41.0.0/25', false],
    ['10.40.100.0/25', '10.40.0.0/16', false],
    ['10.0.0.0/8', 'not-an-ip', false],
  ])('%s contains %s: %s', (outer, inner, expected) => expect(cidrContains(outer, inner)).toBe(expected));
});
