import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';
import type { UserDirectory } from '../ports/user-directory';

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
