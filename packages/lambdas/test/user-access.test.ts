/**
 * Revoking a user's access against cognito-local: the disable is real Cognito
 * API semantics (cognito-local implements AdminDisableUser, not
 * AdminUserGlobalSignOut, whose call is checked at the SDK boundary in
 * offboarder.test.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserAccess } from '../src/adapters/cognito-user-directory';
import { CognitoLocal, startCognitoLocal } from '../src/testing/cognito-local-process';
import { LambdaInvokeServer, startLambdaInvokeServer } from '../src/testing/lambda-invoke-server';

jest.setTimeout(30000);

let lambdas: LambdaInvokeServer;
let cognito: CognitoLocal;
let idp: CognitoIdentityProviderClient;
let userPoolId: string;

beforeAll(async () => {
  lambdas = await startLambdaInvokeServer({ functions: {} });
  cognito = await startCognitoLocal({
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-local-')),
    lambdaEndpoint: lambdas.endpoint,
    triggers: {},
  });
  idp = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'offboarding' }))).UserPool!.Id!;
});

afterAll(async () => {
  await cognito.stop();
  await lambdas.close();
});

describe('CognitoUserAccess (cognito-local)', () => {
  it('disables the user, and a second revocation of the same user is harmless', async () => {
    const userName = (
      await idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'leaver@example.com', MessageAction: 'SUPPRESS' }))
    ).User!.Username!;
    const access = new CognitoUserAccess(idp, { globalSignOut: false });
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userName }))).Enabled).toBe(true);

    await expect(access.revoke({ userPoolId, userName })).resolves.toBe('revoked');
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userName }))).Enabled).toBe(false);
    await expect(access.revoke({ userPoolId, userName })).resolves.toBe('revoked');
  });

  it('reports a user that does not exist as nothing to revoke', async () => {
    await expect(
      new CognitoUserAccess(idp, { globalSignOut: false }).revoke({ userPoolId, userName: 'never-was@example.com' }),
    ).resolves.toBe('no-such-user');
  });

  it('fails if the global sign-out cannot be done (an emulator or a missing permission), never reporting it revoked', async () => {
    const userName = (
      await idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'other@example.com', MessageAction: 'SUPPRESS' }))
    ).User!.Username!;
    await expect(new CognitoUserAccess(idp).revoke({ userPoolId, userName })).rejects.toThrow(/AdminUserGlobalSignOut|unsupported/i);
  });
});
