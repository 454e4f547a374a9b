import { cidrContains, networkLayout, parseIpv4Cidr } from '../src';

describe('networkLayout', () => {
  it('plans a /16 across three AZs without overlap', () => {
    expect(networkLayout('10.40.0.0/16', 3)).toEqual({
      privateSubnets: ['10.40.0.0/19', '10.40.32.0/19', '10.40.64.0/19'],
      publicSubnets: ['10.40.96.0/24', '10.40.97.0/24', '10.40.98.0/24'],
      endpointSubnets: ['10.40.100.0/25', '10.40.100.128/25', '10.40.101.0/25'],
    });
  });

  it('scales with the VPC size', () => {
    expect(networkLayout('172.16.0.0/18', 2)).toEqual({
      privateSubnets: ['172.16.0.0/21', '172.16.8.0/21'],
      publicSubnets: ['172.16.24.0/26', '172.16.24.64/26'],
      endpointSubnets: ['172.16.25.0/27', '172.16.25.32/27'],
    });
  });

  it('produces only valid, aligned CIDRs', () => {
    const layout = networkLayout('10.0.0.0/8', 3);
    for (const c of [...layout.privateSubnets, ...layout.publicSubnets, ...layout.endpointSubnets]) expect(typeof parseIpv4Cidr(c)).toBe('object');
  });

  it('fails if the VPC is too small or the CIDR invalid', () => {
    expect(() => networkLayout('10.0.0.0/24', 2)).toThrow(/too small/);
    expect(() => networkLayout('10.0.0.1/16', 2)).toThrow(/host bits/);
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
