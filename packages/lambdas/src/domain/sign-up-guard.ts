/**
 * PreSignUp policy: who may start a sign-up. Checks run cheapest first and the
 * only writes (the per-address and platform-wide attempt counters) run last,
 * so a refused sign-up leaves nothing behind. See docs/adr/0200-sign-up-rate-limits.md.
 */
import { createHash } from 'node:crypto';
import { EmailAddress, InvalidEmailError, canonicalMailbox, isEmailDomainAllowed, parseEmailAddress } from '@openclaw-tenancy/shared';
import type { SignupGuardStore } from '../ports/signup-guard-store';
import type { TenantClaims } from '../ports/tenant-claims';
import { formatUtcHour, hourWindowOf } from './hour-window';
import { CAPACITY_REACHED_MESSAGE, SignUpRefusedError } from './sign-up-refusal';

export interface SignUpPolicy {
  readonly allowedEmailDomains: readonly string[];
  readonly attemptsPerAddressPerHour: number;
  /** Attempts per hour across the platform (every address together). */
  readonly attemptsPerHour: number;
  readonly confirmationsPerDomainPerHour: number;
  readonly maxTenants: number;
}

export interface SignUpGuardDeps {
  readonly guard: SignupGuardStore;
  readonly claims: Pick<TenantClaims, 'activeTenantCount'>;
  readonly now: () => Date;
}

export interface AdmittedSignUp {
  readonly domain: string;
}

/**
 * The address's mailbox (`canonicalMailbox`: lower-cased, `+tag` removed) as
 * the limiter and the claim store it: hashed, so no table holds an address in
 * clear. This is pseudonymisation, not secrecy — anyone holding a list of
 * addresses can hash and match them. Every sub-address of one mailbox hashes
 * alike, so `alice+1@`, `alice+2@` share alice's limits and her one tenant.
 */
export function hashMailbox(address: EmailAddress): string {
  return createHash('sha256').update(canonicalMailbox(address)).digest('hex');
}

/** Admits a sign-up or throws {@link SignUpRefusedError} with a message for the user. */
export async function admitSignUp(email: unknown, policy: SignUpPolicy, deps: SignUpGuardDeps): Promise<AdmittedSignUp> {
  let address;
  let mailbox;
  try {
    address = parseEmailAddress(email);
    mailbox = hashMailbox(address);
  } catch (e) {
    if (!(e instanceof InvalidEmailError)) throw e;
    throw new SignUpRefusedError('invalid-email', 'Please enter a valid e-mail address.');
  }
  if (!isEmailDomainAllowed(address.domain, policy.allowedEmailDomains)) {
    throw new SignUpRefusedError('domain-not-allowed', 'Sign-up is limited to company e-mail addresses.');
  }
  if ((await deps.claims.activeTenantCount()) >= policy.maxTenants) {
    throw new SignUpRefusedError('capacity-reached', CAPACITY_REACHED_MESSAGE);
  }
  const window = hourWindowOf(deps.now());
  if ((await deps.guard.domainConfirmations(address.domain, window)) >= policy.confirmationsPerDomainPerHour) {
    throw new SignUpRefusedError(
      'domain-rate-limited',
      `Too many sign-ups from ${address.domain} in the last hour. Please try again after ${formatUtcHour(window.end)}.`,
    );
  }
  const counted = await deps.guard.tryCountAttempt(mailbox, window, {
    perAddress: policy.attemptsPerAddressPerHour,
    total: policy.attemptsPerHour,
  });
  if (counted === 'address-limit') {
    throw new SignUpRefusedError(
      'address-rate-limited',
      `Too many sign-up attempts for this address in the last hour. Please try again after ${formatUtcHour(window.end)}.`,
    );
  }
  if (counted === 'platform-limit') {
    throw new SignUpRefusedError(
      'platform-rate-limited',
      `Too many sign-ups right now. Please try again after ${formatUtcHour(window.end)}.`,
    );
  }
  return { domain: address.domain };
}
