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

/** A user an administrator invites: the pool creates it with a temporary password it must replace at first sign-in. */
export interface UserInvitation {
  readonly email: string;
  /** The person's name (the `name` attribute). @default - none */
  readonly name?: string;
  /**
   * Cognito e-mails the temporary password (its invitation message); `false` only where no e-mail can be sent and
   * the caller hands `temporaryPassword` over itself (the local platform).
   * @default true
   */
  readonly sendEmail?: boolean;
  /** @default - Cognito generates one under the pool's password policy */
  readonly temporaryPassword?: string;
}

/** Why an invitation was not made; nothing was created. */
export class InvitationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvitationRefusedError';
  }
}

/** Creates users of the platform's pool on an administrator's behalf (`AdminCreateUser`). */
export interface UserInvitations {
  /** Throws {@link InvitationRefusedError} for an address that has an account or that sign-up rules refuse. */
  invite(invitation: UserInvitation): Promise<InvitedUser>;
}

/** The user an invitation created, as the claim records it. */
export interface InvitedUser {
  readonly sub: string;
  readonly email: string;
  readonly userPoolId: string;
  readonly userName: string;
}
