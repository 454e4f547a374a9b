import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdminDisableUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { LambdaInvokeServer, freeLoopbackPort, startLambdaInvokeServer } from '@openclaw-tenancy/lambdas/testing';
import { resolveSystemCommands } from '../src/host/system-commands';
import { CognitoLocalProcess, startCognitoLocalProcess } from '../src/identity/cognito-local-process';
import { IdentityFront, startIdentityFront } from '../src/identity/identity-front';
import { UserPoolIds, ensureUserPool } from '../src/identity/user-pool';

const PASSWORD = 'Correct-horse-battery-9';

describe('the identity front of the local user pool', () => {
  let dir: string;
  let lambdas: LambdaInvokeServer;
  let cognito: CognitoLocalProcess;
  let front: IdentityFront;
  let pool: UserPoolIds;
  const codes: Array<{ destination: string; code: string }> = [];

  async function call(
    action: string,
    body: Record<string, unknown>,
    endpoint = front.endpoint,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function codeFor(email: string, not?: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const found = codes.filter((c) => c.destination === email).at(-1)?.code;
      if (found && found !== not) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no code for ${email}`);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-front-'));
    lambdas = await startLambdaInvokeServer({ functions: {} });
    cognito = await startCognitoLocalProcess(
      {
        workDir: dir,
        port: await freeLoopbackPort(),
        lambdaEndpoint: lambdas.endpoint,
        triggers: {},
        issuerDomain: 'http://127.0.0.1:39999',
        logFile: path.join(dir, 'cognito-local.log'),
        onCodeDelivery: (destination, code) => codes.push({ destination, code }),
      },
      resolveSystemCommands(),
    );
    const admin = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    pool = await ensureUserPool(admin, path.join(dir, 'identity.json'), 'off');
    expect(await ensureUserPool(admin, path.join(dir, 'identity.json'), 'off')).toEqual({ ...pool, created: false });
    admin.destroy();
    front = await startIdentityFront({ upstream: cognito.endpoint, host: '127.0.0.1', port: 0, userPoolId: pool.userPoolId });
  });

  afterAll(async () => {
    await front?.close();
    await cognito?.stop();
    await lambdas?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a client write of the tenant attribute at sign-up, as the app client’s write attributes do in Cognito', async () => {
    const out = await call('SignUp', {
      ClientId: pool.appClientId,
      Username: 'mallory@example.com',
      Password: PASSWORD,
      UserAttributes: [
        { Name: 'email', Value: 'mallory@example.com' },
        { Name: 'custom:tenant_id', Value: 'alice' },
      ],
    });
    expect(out).toEqual({
      status: 400,
      json: { __type: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' },
    });
  });

  it('refuses admin actions, which need AWS credentials in Cognito', async () => {
    const out = await call('AdminUpdateUserAttributes', {
      UserPoolId: pool.userPoolId,
      Username: 'x@example.com',
      UserAttributes: [{ Name: 'custom:tenant_id', Value: 'alice' }],
    });
    expect(out.status).toBe(400);
    expect(out.json.__type).toBe('MissingAuthenticationTokenException');
  });

  it('signs up, resends a new code, confirms and signs in; tokens name the front as issuer and its JWKS verifies them', async () => {
    const email = 'carol@example.com';
    expect(
      (
        await call('SignUp', {
          ClientId: pool.appClientId,
          Username: email,
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: email }],
        })
      ).status,
    ).toBe(200);
    const first = await codeFor(email);
    expect((await call('ResendConfirmationCode', { ClientId: pool.appClientId, Username: email })).status).toBe(200);
    const second = await codeFor(email, first);
    expect(cognito.confirmationCode(pool.userPoolId, email)).toBe(second);
    expect((await call('ConfirmSignUp', { ClientId: pool.appClientId, Username: email, ConfirmationCode: second })).status).toBe(200);
    expect((await call('ResendConfirmationCode', { ClientId: pool.appClientId, Username: email })).json.__type).toBe(
      'InvalidParameterException',
    );

    const auth = await call('InitiateAuth', {
      ClientId: pool.appClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD },
    });
    const result = auth.json.AuthenticationResult as { IdToken: string; AccessToken: string };
    const claims = JSON.parse(Buffer.from(result.IdToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iss: string;
      aud: string;
    };
    expect(claims).toMatchObject({ iss: `http://127.0.0.1:39999/${pool.userPoolId}`, aud: pool.appClientId });
    const jwks = (await (await fetch(`${front.endpoint}/${pool.userPoolId}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);

    const rewrite = await call('UpdateUserAttributes', {
      AccessToken: result.AccessToken,
      UserAttributes: [{ Name: 'custom:tenant_id', Value: 'alice' }],
    });
    expect(rewrite.json.__type).toBe('NotAuthorizedException');
  });

  it('refuses a disabled user sign-in and refresh, as Cognito does (cognito-local itself would issue tokens)', async () => {
    const email = 'dora@example.com';
    await call('SignUp', {
      ClientId: pool.appClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    await call('ConfirmSignUp', { ClientId: pool.appClientId, Username: email, ConfirmationCode: await codeFor(email) });
    const signIn = () =>
      call('InitiateAuth', { ClientId: pool.appClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } });
    const session = await signIn();
    expect(session.status).toBe(200);
    const refreshToken = (session.json.AuthenticationResult as { RefreshToken: string }).RefreshToken;
    const refresh = () =>
      call('InitiateAuth', { ClientId: pool.appClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } });
    expect((await refresh()).status).toBe(200);

    // The offboarder's call, straight to the pool (admin actions never pass the front).
    const admin = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await admin.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
    admin.destroy();
    // cognito-local alone still signs the disabled user in.
    expect(
      (
        await call(
          'InitiateAuth',
          { ClientId: pool.appClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } },
          cognito.endpoint,
        )
      ).status,
    ).toBe(200);

    const disabled = { status: 400, json: { __type: 'NotAuthorizedException', message: 'User is disabled.' } };
    expect(await signIn()).toEqual(disabled);
    expect(await refresh()).toEqual(disabled);
    // A wrong password still gets the ordinary answer, so the front reveals nothing without the password.
    const wrong = await call('InitiateAuth', {
      ClientId: pool.appClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: 'Wrong-horse-battery-9' },
    });
    expect(wrong.json.message).not.toBe('User is disabled.');
  });
});
