/**
 * Derivation of a readable tenant id from an e-mail address. Only the local
 * part is used (the domain is the same for most users and would leak the
 * employer into every URL), and the result is stable: the same address always
 * yields the same candidates in the same order, so claiming is deterministic.
 */
import { EmailAddress, parseEmailAddress } from './email';
import { MAX_TENANT_ID_LENGTH, isValidTenantId } from './tenant-id';

/** Room kept for a collision suffix: `-` plus up to 8 characters. */
const SUFFIX_ROOM = 9;
export const MAX_TENANT_ID_BASE_LENGTH = MAX_TENANT_ID_LENGTH - SUFFIX_ROOM;
/** Used when nothing readable survives sanitising (e.g. `___@example.com`). */
export const FALLBACK_TENANT_ID_BASE = 'user';
/** Numbered candidates tried before falling back to the owner-derived suffix. */
export const NUMBERED_CANDIDATES = 9;

/** The readable base for an address: `Jane.Doe+ai@x.com` → `jane-doe`. */
export function deriveTenantIdBase(email: string | EmailAddress): string {
  const parsed = typeof email === 'string' ? parseEmailAddress(email) : email;
  // Sub-addressing (`+tag`) is dropped so that `jane+x@` and `jane@` read the same.
  const local = parsed.localPart.split('+')[0] ?? '';
  let base = local
    .toLowerCase()
    .replace(/[._]/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (/^[0-9]/.test(base)) base = `u-${base}`;
  base = base.slice(0, MAX_TENANT_ID_BASE_LENGTH).replace(/-+$/g, '');
  if (!isValidTenantId(base)) return FALLBACK_TENANT_ID_BASE;
  return base;
}

/**
 * Candidate ids in claim order: `base`, `base-2` … `base-9`, then
 * `base-<first 8 of the owner's sub>`. The last candidate is unique per owner
 * (a Cognito `sub` is a UUID), so claiming never runs out of candidates.
 */
export function tenantIdCandidates(base: string, ownerSub: string): string[] {
  const candidates = [base];
  for (let n = 2; n <= NUMBERED_CANDIDATES; n++) candidates.push(`${base}-${n}`);
  const ownerPart = ownerSub
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 8);
  if (ownerPart.length > 0) candidates.push(`${base}-${ownerPart}`);
  return candidates.filter(isValidTenantId);
}
