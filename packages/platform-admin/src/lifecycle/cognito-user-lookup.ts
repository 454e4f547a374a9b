import { CognitoIdentityProviderClient, ListUsersCommand, type UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { PoolUser, UserLookup } from './lifecycle-ports';

/** Users of one pool, found with `ListUsers` and an exact attribute filter. */
export class CognitoUserLookup implements UserLookup {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  byEmail(email: string): Promise<PoolUser | undefined> {
    return this.find('email', email.trim().toLowerCase());
  }

  bySub(sub: string): Promise<PoolUser | undefined> {
    return this.find('sub', sub);
  }

  private async find(attribute: 'email' | 'sub', value: string): Promise<PoolUser | undefined> {
    // The filter language quotes with "; a value holding one could widen the filter.
    if (/["\\]/.test(value)) throw new Error(`${attribute} must not contain " or \\: ${value}`);
    const page = await this.client.send(
      new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `${attribute} = "${value}"`, Limit: 2 }),
    );
    const users = page.Users ?? [];
    if (users.length > 1)
      throw new Error(`${users.length} users of pool ${this.userPoolId} have ${attribute} ${value}; name the user by --user <sub>`);
    const user = users[0];
    return user ? this.toPoolUser(user) : undefined;
  }

  private toPoolUser(user: UserType): PoolUser {
    const attr = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
    const sub = attr('sub');
    const email = attr('email');
    if (!sub || !email || !user.Username) throw new Error(`user ${user.Username ?? '?'} of pool ${this.userPoolId} has no sub or e-mail`);
    return {
      sub,
      email,
      userName: user.Username,
      userPoolId: this.userPoolId,
      status: user.UserStatus ?? 'UNKNOWN',
      enabled: user.Enabled ?? false,
    };
  }
}
