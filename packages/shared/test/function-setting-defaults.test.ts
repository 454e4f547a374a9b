import { FUNCTION_SETTING_DEFAULTS, MODEL_ALIAS_PATTERN, STATUS_REASON_PATTERN, parsePlatformConfig, parseTenantJob } from '../src';
import { exampleConfigRaw } from './support/example-config';

const example = exampleConfigRaw;

describe('FUNCTION_SETTING_DEFAULTS', () => {
  it('are what the schema fills in when the config leaves the keys out', () => {
    const raw = example();
    delete raw.signup.confirmationsPerDomainPerHour;
    delete raw.signup.attemptsPerAddressPerHour;
    delete raw.gitops.commitAuthorName;
    delete raw.gitops.commitAuthorEmail;
    delete raw.budgets;
    const config = parsePlatformConfig(raw);
    expect({
      confirmationsPerDomainPerHour: config.signup.confirmationsPerDomainPerHour,
      attemptsPerAddressPerHour: config.signup.attemptsPerAddressPerHour,
      attemptsPerHour: config.signup.attemptsPerHour,
      commitAuthorName: config.gitops.commitAuthorName,
      commitAuthorEmail: config.gitops.commitAuthorEmail,
      defaultMonthlyBudgetUsd: config.budgets.defaultMonthlyUsd,
      budgetThresholdsPercent: config.budgets.alertThresholdsPercent,
      suspendAtLimit: config.budgets.suspendAtLimit,
    }).toEqual(FUNCTION_SETTING_DEFAULTS);
  });
});

describe('shared patterns', () => {
  it.each(['budget', 'owner-request', 'a'])('a status reason %j is accepted by the pattern and by an offboard job', (reason) => {
    expect(STATUS_REASON_PATTERN.test(reason)).toBe(true);
    expect(parseTenantJob(JSON.stringify({ type: 'offboard', tenantId: 'alice', reason }))).toEqual({
      job: { type: 'offboard', tenantId: 'alice', reason },
      issues: [],
    });
  });

  it.each(['Budget', '-budget', 'budget reason', 'x'.repeat(42)])(
    'a status reason %j is refused by the pattern and by an offboard job',
    (reason) => {
      expect(STATUS_REASON_PATTERN.test(reason)).toBe(false);
      expect(parseTenantJob(JSON.stringify({ type: 'offboard', tenantId: 'alice', reason })).issues).toEqual([
        { path: 'reason', message: 'expected a short lower-case reason' },
      ]);
    },
  );

  it.each([
    ['zeta', true],
    ['m1', true],
    ['claude-sonnet', false],
    ['1model', false],
    ['abcdefghijklm', false],
  ])('model alias %j matches: %s, in the catalog schema too', (alias, ok) => {
    expect(MODEL_ALIAS_PATTERN.test(alias)).toBe(ok);
    const raw = example();
    raw.models.catalog[0].alias = alias;
    let message = '';
    try {
      parsePlatformConfig(raw);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(/- models\.catalog\[0\]\.alias: .*aliases are 1-12 characters/.test(message)).toBe(!ok);
  });
});
