import type { ClaimedUser } from './tenant-claims';

/** The user pool, as far as the tenant lifecycle writes to it. */
export interface UserDirectory {
  /** Records the claimed tenant id on the user (the admin-only `custom:tenant_id`). */
  recordTenantId(input: { userPoolId: string; userName: string; tenantId: string }): Promise<void>;
}

/** What revoking a user's access found. */
export type AccessRevocation = 'revoked' | 'no-such-user';

/** Ends a user's access to the platform (offboarding). */
export interface UserAccess {
  /**
   * Disables the user (no new sign-in, no token refresh) and then signs it out
   * everywhere (every refresh token revoked). Idempotent; a user that no
   * longer exists has nothing left to revoke.
   */
  revoke(user: ClaimedUser): Promise<AccessRevocation>;
}
