/**
 * PlatformConfig is derived from PLATFORM_CONFIG_SPEC. The `@ts-expect-error`
 * lines fail the package's typecheck if the derived type ever loosens; the
 * runtime assertions check that validation produces exactly that shape.
 */
import {
  FieldSpec,
  ModelCatalogEntry,
  PLATFORM_CONFIG_SPEC,
  PlatformConfig,
  SpecValue,
  TENANT_TIERS,
  TenantRecord,
  newTenantRecord,
  parsePlatformConfig,
  validateSpec,
} from '../src';
import { exampleConfigRaw } from './support/example-config';
import { IssueCollector } from '../src/validation';

const example = exampleConfigRaw;

describe('types derived from specs', () => {
  it('a tenant record is typed by its spec: literal apiVersion and kind, closed enums, optional fields', () => {
    const record: TenantRecord = newTenantRecord({
      id: 'alice',
      owner: 'owner-0001',
      tier: 'standard',
      runtime: 'runc',
      createdAt: new Date('2026-11-25T10:00:00Z'),
    });
    const apiVersion: 'openclaw.io/v1' = record.apiVersion;
    const status: 'active' | 'suspended' | 'deleted' = record.status;
    expect([apiVersion, status]).toEqual(['openclaw.io/v1', 'active']);
    // @ts-expect-error apiVersion is the one literal the spec allows
    const otherVersion: TenantRecord['apiVersion'] = 'openclaw.io/v2';
    // @ts-expect-error an optional field may be absent, so it is not a plain string
    const suspendedAt: string = record.suspendedAt;
    // @ts-expect-error the tier is a closed set of values
    const tier: TenantRecord['tier'] = 'huge';
    expect([otherVersion, suspendedAt, tier]).toBeDefined();
  });

  it('a validated config has every defaulted key, closed enums and per-tier timeouts', () => {
    const config: PlatformConfig = parsePlatformConfig(example());
    const mfa: 'off' | 'optional' | 'required' = config.signup.mfa;
    expect(['off', 'optional', 'required']).toContain(mfa);
    for (const tier of TENANT_TIERS) expect(typeof config.idle.timeoutSeconds[tier]).toBe('number');
    const entry: ModelCatalogEntry | undefined = config.models.catalog[0];
    expect(typeof entry?.pricing.inputUsdPerMillionTokens).toBe('number');
    // @ts-expect-error mfa is a closed set of values
    const notAnMfaMode: PlatformConfig['signup']['mfa'] = 'sometimes';
    // @ts-expect-error a defaulted key is always present, so it is not optional
    const missingBranch: PlatformConfig['gitops'] = { ...config.gitops, branch: undefined };
    // @ts-expect-error an optional key may be absent, so it is not a plain string
    const hostedZoneId: string = config.domain.hostedZoneId;
    expect([notAnMfaMode, missingBranch, hostedZoneId]).toBeDefined();
  });

  it('validateSpec types a small spec by its fields: required, optional, defaulted, enum, array', () => {
    const spec = {
      kind: 'object',
      fields: {
        name: { spec: { kind: 'string' } },
        size: { spec: { kind: 'string', enum: ['s', 'm'] }, default: 's' },
        tags: { spec: { kind: 'array', items: { kind: 'number' } }, optional: true },
      },
    } as const satisfies FieldSpec;
    const issues = new IssueCollector();
    const value: { readonly name: string; readonly size: 's' | 'm'; readonly tags?: readonly number[] } = validateSpec(
      spec,
      { name: 'x' },
      '',
      issues,
    );
    expect(issues.ok).toBe(true);
    expect(value).toEqual({ name: 'x', size: 's' });
    const bad = new IssueCollector();
    validateSpec(spec, { size: 'xl' }, '', bad);
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['name', 'size']);
    const typed: SpecValue<typeof PLATFORM_CONFIG_SPEC> = parsePlatformConfig(example());
    expect(typed.platformName).toBe(parsePlatformConfig(example()).platformName);
  });
});
