/**
 * E-mail parsing for the sign-up guard and for tenant id derivation.
 *
 * Deliberately narrower than RFC 5321: quoted local parts, comments, IP-literal
 * domains and non-ASCII characters are refused, because each of them is a way
 * to make one address look like another (`"allowed.com"@evil.com`,
 * `user@allowed.com.evil.com`, Cyrillic look-alikes) and no employee needs them.
 */

export const MAX_EMAIL_LENGTH = 254;
export const MAX_EMAIL_LOCAL_PART_LENGTH = 64;

export interface EmailAddress {
  /** The local part as typed (case preserved: some providers are case-sensitive). */
  readonly localPart: string;
  /** The domain, lower-cased. */
  readonly domain: string;
  /** `localPart@domain` with the domain lower-cased. */
  readonly address: string;
}

export class InvalidEmailError extends Error {
  constructor(
    public readonly input: string,
    detail: string,
  ) {
    super(`invalid e-mail address: ${detail}`);
    this.name = 'InvalidEmailError';
  }
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Parses an address or throws {@link InvalidEmailError} saying what is wrong. */
export function parseEmailAddress(input: unknown): EmailAddress {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InvalidEmailError(String(input ?? ''), 'an e-mail address is required');
  }
  const raw = input.trim();
  if (raw.length > MAX_EMAIL_LENGTH) throw new InvalidEmailError(raw, `it is longer than ${MAX_EMAIL_LENGTH} characters`);
  if (/[^\x21-\x7e]/.test(raw)) {
    throw new InvalidEmailError(raw, 'only plain ASCII characters without spaces are allowed');
  }
  const at = raw.indexOf('@');
  if (at < 0 || at !== raw.lastIndexOf('@')) throw new InvalidEmailError(raw, 'it must contain exactly one "@"');
  const localPart = raw.slice(0, at);
  const domain = raw.slice(at + 1).toLowerCase();
  if (localPart.length === 0) throw new InvalidEmailError(raw, 'the part before "@" is empty');
  if (localPart.length > MAX_EMAIL_LOCAL_PART_LENGTH) {
    throw new InvalidEmailError(raw, `the part before "@" is longer than ${MAX_EMAIL_LOCAL_PART_LENGTH} characters`);
  }
  if (!LOCAL_PART.test(localPart)) {
    throw new InvalidEmailError(
      raw,
      'the part before "@" has characters that are not allowed (quotes, brackets, spaces or dots at the ends)',
    );
  }
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => !DOMAIN_LABEL.test(l))) {
    throw new InvalidEmailError(raw, `"${domain}" is not a valid domain name`);
  }
  const tld = labels[labels.length - 1] ?? '';
  if (!/^[a-z]{2,63}$/.test(tld)) throw new InvalidEmailError(raw, `"${domain}" does not end in a valid top-level domain`);
  return { localPart, domain, address: `${localPart}@${domain}` };
}

/**
 * Exact, case-insensitive domain match against the allowlist; `*` allows all.
 * Sub-domains are not implied: `user@eu.example.com` needs `eu.example.com` listed.
 */
export function isEmailDomainAllowed(domain: string, allowedDomains: readonly string[]): boolean {
  const wanted = domain.toLowerCase();
  return allowedDomains.some((d) => d === '*' || d.toLowerCase() === wanted);
}

/**
 * The mailbox an address delivers to, as the platform counts it: one tenant
 * and one sign-up allowance per mailbox. Lower-cased (mail systems treat the
 * local part case-insensitively in practice) and without a `+tag` sub-address
 * (`alice+1@` and `alice+2@` reach alice's inbox). Throws
 * {@link InvalidEmailError} for a local part that is only a tag.
 */
export function canonicalMailbox(address: EmailAddress): string {
  const plus = address.localPart.indexOf('+');
  if (plus === 0) throw new InvalidEmailError(address.address, 'the part before "@" must not start with "+"');
  const local = (plus < 0 ? address.localPart : address.localPart.slice(0, plus)).toLowerCase();
  return `${local}@${address.domain}`;
}
