import {
  IDLE_METRICS_SERVER_URL,
  tenantActivityQuery,
  tenantNames,
  tenantRouteClusterName,
  IDLE_TIMEOUT_ANNOTATION,
  IssueCollector,
  ValidationError,
  idleTimeoutSecondsFor,
  newTenantRecord,
  parseIdleTimeoutAnnotation,
  parsePlatformConfig,
  validateTenantRecord,
} from '../src';
import { exampleConfigRaw } from './support/example-config';

const example = exampleConfigRaw;

function configIssues(raw: unknown): string[] {
  try {
    parsePlatformConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the config to be rejected');
}

describe('idle policy in the platform config', () => {
  it('defaults every tier to a timeout and keeps two gateways of headroom', () => {
    const raw = example();
    delete raw.idle;
    const config = parsePlatformConfig(raw);
    expect(config.idle).toEqual({ timeoutSeconds: { standard: 900, large: 1800 }, headroomGateways: 2 });
  });

  it('takes per-tier timeouts and 0 for a tier that never idles', () => {
    const config = parsePlatformConfig({ ...example(), idle: { timeoutSeconds: { standard: 20, large: 0 } } });
    expect(config.idle.timeoutSeconds).toEqual({ standard: 20, large: 0 });
  });

  it.each([
    [5, 'idle.timeoutSeconds.standard: 5 is not an idle timeout'],
    [-1, 'idle.timeoutSeconds.standard'],
    [1.5, 'idle.timeoutSeconds.standard'],
    [100000, 'idle.timeoutSeconds.standard'],
  ])('fails if a tier timeout is %p', (seconds, expected) => {
    expect(configIssues({ ...example(), idle: { timeoutSeconds: { standard: seconds } } }).join('\n')).toContain(expected);
  });

  it('fails if a tier is unknown', () => {
    expect(configIssues({ ...example(), idle: { timeoutSeconds: { huge: 60 } } }).join('\n')).toContain('huge');
  });
});

describe('idleTimeoutSecondsFor', () => {
  const timeouts = { standard: 900, large: 0 };
  it('gives the tier timeout', () => expect(idleTimeoutSecondsFor({ tier: 'standard' }, timeouts)).toBe(900));
  it('never idles an always-on tenant', () =>
    expect(idleTimeoutSecondsFor({ tier: 'standard', alwaysOn: true }, timeouts)).toBeUndefined());
  it('never idles a tier with timeout 0', () => expect(idleTimeoutSecondsFor({ tier: 'large' }, timeouts)).toBeUndefined());
});

describe('alwaysOn in the registry record', () => {
  const base = newTenantRecord({
    id: 'alice',
    owner: '5f0c1e2a-1111-4000-8000-000000000001',
    tier: 'standard',
    runtime: 'runc',
    createdAt: new Date('2026-11-25T10:00:00Z'),
  });
  it('accepts a boolean', () => {
    const issues = new IssueCollector();
    expect(validateTenantRecord({ ...base, alwaysOn: true }, issues).alwaysOn).toBe(true);
    expect(issues.ok).toBe(true);
  });
  it('fails if it is not a boolean', () => {
    const issues = new IssueCollector();
    validateTenantRecord({ ...base, alwaysOn: 'yes' }, issues);
    expect(issues.ok).toBe(false);
  });
});

describe('parseIdleTimeoutAnnotation', () => {
  it('reads the seconds', () => expect(parseIdleTimeoutAnnotation({ [IDLE_TIMEOUT_ANNOTATION]: '900' }, 'x')).toBe(900));
  it('is undefined without the annotation', () => expect(parseIdleTimeoutAnnotation({}, 'x')).toBeUndefined());
  it.each(['0', '-5', '15m', '', '1e3'])('fails if the value is %p', (value) => {
    expect(() => parseIdleTimeoutAnnotation({ [IDLE_TIMEOUT_ANNOTATION]: value }, 'deploy/tenants/alice')).toThrow(
      /deploy\/tenants\/alice: annotation openclaw.io\/idle-timeout-seconds must be a positive whole number/,
    );
  });
});

describe("the scaler's view of a tenant's activity", () => {
  it("reads only the tenant route's Envoy cluster, and is 0 rather than empty when Envoy has not seen the route yet", () => {
    const query = tenantActivityQuery(tenantNames('alice'));
    expect(tenantRouteClusterName(tenantNames('alice'))).toBe('httproute/openclaw-alice/openclaw-gateway/rule/0');
    const terms = query.split(' + ');
    expect(terms).toHaveLength(3);
    for (const term of terms) {
      expect(term).toMatch(/^\(sum\(.*\{envoy_cluster_name="httproute\/openclaw-alice\/openclaw-gateway\/rule\/0"\}.*\) or vector\(0\)\)$/);
    }
    expect(query).not.toContain('openclaw-bob');
    expect(IDLE_METRICS_SERVER_URL).toBe('http://prometheus-server.openclaw-metrics.svc.cluster.local:80');
  });
});
