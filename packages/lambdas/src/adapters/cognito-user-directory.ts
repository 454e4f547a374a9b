import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';
import type { ClaimedUser } from '../ports/tenant-claims';
import {
  InvitationRefusedError,
  type AccessRevocation,
  type UserAccess,
  type InvitedUser,
  type UserDirectory,
  type UserInvitation,
  type UserInvitations,
} from '../ports/user-directory';
import { awsErrorName } from './aws-error-name';

export class CognitoUserDirectory implements UserDirectory {
  constructor(private readonly client: CognitoIdentityProviderClient) {}

  async recordTenantId(input: { userPoolId: string; userName: string; tenantId: string }): Promise<void> {
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: input.userPoolId,
        Username: input.userName,
        UserAttributes: [{ Name: TENANT_ID_ATTRIBUTE, Value: input.tenantId }],
      }),
    );
  }
}

export interface CognitoUserAccessOptions {
  /**
   * Also call `AdminUserGlobalSignOut`. Only cognito-local, which does not
   * implement it, turns this off; AWS always signs the user out.
   * @default true
   */
  readonly globalSignOut?: boolean;
}

/**
 * Disable first: from then on Cognito refuses sign-in and refresh, so a
 * refresh racing the global sign-out cannot mint tokens that outlive it.
 */
export class CognitoUserAccess implements UserAccess {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly options: CognitoUserAccessOptions = {},
  ) {}

  async revoke(user: ClaimedUser): Promise<AccessRevocation> {
    const target = { UserPoolId: user.userPoolId, Username: user.userName };
    try {
      await this.client.send(new AdminDisableUserCommand(target));
      if (this.options.globalSignOut ?? true) await this.client.send(new AdminUserGlobalSignOutCommand(target));
      return 'revoked';
    } catch (e) {
      if (awsErrorName(e) === 'UserNotFoundException') return 'no-such-user';
      throw e;
    }
  }
}

/**
 * `AdminCreateUser` with the e-mail as the username and verified (the address
 * is the administrator's word; a reset code must reach it). The pool's
 * PreSignUp trigger runs for it (`PreSignUp_AdminCreateUser`), so the domain
 * allowlist and the limits hold for invitations too.
 */
export class CognitoUserInvitations implements UserInvitations {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(invitation: UserInvitation): Promise<InvitedUser> {
    try {
      const out = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: invitation.email,
          UserAttributes: [
            { Name: 'email', Value: invitation.email },
            { Name: 'email_verified', Value: 'true' },
            ...(invitation.name ? [{ Name: 'name', Value: invitation.name }] : []),
          ],
          DesiredDeliveryMediums: ['EMAIL'],
          ...(invitation.sendEmail === false ? { MessageAction: 'SUPPRESS' as const } : {}),
          ...(invitation.temporaryPassword ? { TemporaryPassword: invitation.temporaryPassword } : {}),
        }),
      );
      const sub = out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
      if (!sub || !out.User?.Username) throw new Error(`AdminCreateUser returned no sub for ${invitation.email}`);
      return { sub, email: invitation.email, userPoolId: this.userPoolId, userName: out.User.Username };
    } catch (e) {
      const name = awsErrorName(e);
      if (name === 'UsernameExistsException') throw new InvitationRefusedError(`${invitation.email} already has an account`);
      // The PreSignUp trigger's refusal (domain, limits), in its own words.
      if (name === 'UserLambdaValidationException') throw new InvitationRefusedError((e as Error).message);
      throw e;
    }
  }
}
