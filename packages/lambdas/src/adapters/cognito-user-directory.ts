import {
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';
import type { ClaimedUser } from '../ports/tenant-claims';
import type { AccessRevocation, UserAccess, UserDirectory } from '../ports/user-directory';
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
