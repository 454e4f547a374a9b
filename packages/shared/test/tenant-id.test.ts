import { InvalidTenantIdError, MAX_TENANT_ID_LENGTH, RESERVED_TENANT_IDS, assertTenantId, isValidTenantId, tenantIdProblem } from '../src';

describe('tenant id rules', () => {
  it.each(['alice', 'jane-doe', 'a1', 'dev-team-42', 'x'.repeat(MAX_TENANT_ID_LENGTH)])('accepts %s', (id) => {
    expect(isValidTenantId(id)).toBe(true);
    expect(assertTenantId(id)).toBe(id);
  });

  it.each([
    ['', 'empty'],
    ['a', 'too-short'],
    ['Alice', 'bad-characters'],
    ['x'.repeat(MAX_TENANT_ID_LENGTH + 1), 'too-long'],
    ['a'.repeat(64), 'too-long'],
    ['1alice', 'must-start-with-letter'],
    ['-alice', 'must-start-with-letter'],
    ['alice-', 'must-end-alphanumeric'],
    ['al--ice', 'double-hyphen'],
    ['al_ice', 'bad-characters'],
    ['al.ice', 'bad-characters'],
    ['../etc', 'bad-characters'],
    ['a/b', 'bad-characters'],
    ['аlice', 'not-ascii'], // Cyrillic "а"
    ['alice\u200b', 'not-ascii'], // zero-width space
    ['default', 'reserved'],
    ['kube-system', 'reserved'],
    ['argocd', 'reserved'],
    ['kube-anything', 'reserved'],
    ['xn--80ak6aa92e', 'double-hyphen'],
    ['openclaw-x', 'reserved'],
  ])('rejects %j as %s', (id, problem) => {
    expect(tenantIdProblem(id)?.problem).toBe(problem);
    expect(() => assertTenantId(id)).toThrow(InvalidTenantIdError);
  });

  it('rejects non-strings with a clear error', () => {
    expect(() => assertTenantId(42)).toThrow(/expected a string, got number/);
  });

  it('names the id and the rule in the message', () => {
    expect(() => assertTenantId('Bob')).toThrow('invalid tenant id "Bob": only lower-case a-z, 0-9 and "-" are allowed');
  });

  it('every reserved word is refused', () => {
    for (const word of RESERVED_TENANT_IDS) expect(isValidTenantId(word)).toBe(false);
  });
});
