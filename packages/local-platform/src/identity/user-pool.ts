/**
 * The user pool and app client the CDK identity stack creates
 * (packages/aws-infra `TenantUserPool`), created once in cognito-local and
 * reused on every later start: e-mail as the username, auto-verified e-mail,
 * the `tenant_id` custom attribute (String, mutable, 2-40), the password
 * policy, and a public client (no secret) with USER_PASSWORD_AUTH and
 * refresh tokens, token revocation, the tenant attribute readable but not
 * writable.
 */
import * as fs from 'node:fs';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PlatformConfig, TENANT_ID_ATTRIBUTE } from '@openclaw-tenancy/shared';

/** The platform config's MFA choice as Cognito's pool setting. */
const MFA_CONFIGURATION = { off: 'OFF', optional: 'OPTIONAL', required: 'ON' } as const satisfies Record<
  PlatformConfig['signup']['mfa'],
  string
>;

export interface UserPoolIds {
  readonly userPoolId: string;
  readonly appClientId: string;
}

const TENANT_ATTRIBUTE_NAME = TENANT_ID_ATTRIBUTE.replace(/^custom:/, '');

async function exists(client: CognitoIdentityProviderClient, ids: UserPoolIds): Promise<boolean> {
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.appClientId }));
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw e;
  }
}

/** The pool and client recorded in `idsFile`, or new ones (recorded there) when they do not exist. */
export async function ensureUserPool(
  client: CognitoIdentityProviderClient,
  idsFile: string,
  mfa: PlatformConfig['signup']['mfa'],
): Promise<UserPoolIds & { created: boolean }> {
  if (fs.existsSync(idsFile)) {
    const saved = JSON.parse(fs.readFileSync(idsFile, 'utf8')) as UserPoolIds;
    if (await exists(client, saved)) return { ...saved, created: false };
  }
  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: 'openclaw-local',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: MFA_CONFIGURATION[mfa],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          TemporaryPasswordValidityDays: 3,
        },
      },
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        {
          Name: TENANT_ATTRIBUTE_NAME,
          AttributeDataType: 'String',
          Mutable: true,
          StringAttributeConstraints: { MinLength: '2', MaxLength: '40' },
        },
      ],
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error('cognito-local created a user pool without an id');
  const app = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
      ReadAttributes: ['email', 'email_verified', 'name', TENANT_ID_ATTRIBUTE],
      WriteAttributes: ['email', 'name'],
    }),
  );
  const appClientId = app.UserPoolClient?.ClientId;
  if (!appClientId) throw new Error('cognito-local created an app client without an id');
  const ids: UserPoolIds = { userPoolId, appClientId };
  fs.writeFileSync(idsFile, `${JSON.stringify(ids, null, 2)}\n`);
  return { ...ids, created: true };
}
