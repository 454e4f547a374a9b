import { InvalidEmailError, canonicalMailbox, isEmailDomainAllowed, parseEmailAddress } from '../src';

describe('parseEmailAddress', () => {
  it('lower-cases the domain and keeps the local part', () => {
    expect(parseEmailAddress(' Jane.Doe@Example.COM ')).toEqual({
      localPart: 'Jane.Doe',
      domain: 'example.com',
      address: 'Jane.Doe@example.com',
    });
  });

  it.each([
    [undefined, /required/],
    ['', /required/],
    ['no-at-sign', /exactly one "@"/],
    ['a@b@example.com', /exactly one "@"/],
    ['"allowed.com"@evil.com', /not allowed/],
    ['user@allowed.com.', /not a valid domain/],
    ['.jane@example.com', /not allowed/],
    ['jane.@example.com', /not allowed/],
    ['ja..ne@example.com', /not allowed/],
    ['jane@example', /not a valid domain/],
    ['jane@-example.com', /not a valid domain/],
    ['jane@[127.0.0.1]', /not a valid domain/],
    ['jane@exаmple.com', /plain ASCII/], // Cyrillic "а"
    ['jane doe@example.com', /plain ASCII/],
    [`${'a'.repeat(65)}@example.com`, /longer than 64/],
    [`a@${'b'.repeat(250)}.com`, /longer than 254/],
  ])('rejects %j', (input, message) => {
    expect(() => parseEmailAddress(input)).toThrow(InvalidEmailError);
    expect(() => parseEmailAddress(input)).toThrow(message);
  });
});

describe('isEmailDomainAllowed', () => {
  it('matches exactly and case-insensitively', () => {
    expect(isEmailDomainAllowed('example.com', ['Example.com'])).toBe(true);
    expect(isEmailDomainAllowed('EXAMPLE.COM', ['example.com'])).toBe(true);
  });

  it('does not match suffixes, prefixes or sub-domains', () => {
    expect(isEmailDomainAllowed('example.com.evil.com', ['example.com'])).toBe(false);
    expect(isEmailDomainAllowed('evilexample.com', ['example.com'])).toBe(false);
    expect(isEmailDomainAllowed('eu.example.com', ['example.com'])).toBe(false);
  });

  it('allows any domain with "*"', () => {
    expect(isEmailDomainAllowed('anything.org', ['*'])).toBe(true);
  });
});

describe('canonicalMailbox', () => {
  it.each([
    ['alice@example.com', 'alice@example.com'],
    ['Alice@Example.COM', 'alice@example.com'],
    ['alice+1@example.com', 'alice@example.com'],
    ['ALICE+Second+third@example.com', 'alice@example.com'],
    ['alice.smith+x@example.com', 'alice.smith@example.com'],
  ])('maps %s to the mailbox %s', (input, mailbox) => {
    expect(canonicalMailbox(parseEmailAddress(input))).toBe(mailbox);
  });

  it('keeps different mailboxes apart (dots are not folded: that is a provider rule, not a standard one)', () => {
    expect(canonicalMailbox(parseEmailAddress('alice.smith@example.com'))).not.toBe(
      canonicalMailbox(parseEmailAddress('alicesmith@example.com')),
    );
    expect(canonicalMailbox(parseEmailAddress('alice@example.com'))).not.toBe(canonicalMailbox(parseEmailAddress('alice@example.org')));
  });

  it('fails if the local part is only a tag', () => {
    expect(() => canonicalMailbox(parseEmailAddress('+tag@example.com'))).toThrow(/must not start with "\+"/);
  });
});
