/**
 * The user directory adapters (`cognito-user-directory.ts`) against
 * cognito-local, a pool shaped like the platform's (e-mail as username, the
 * tenant attribute):
 * - revoking access: the disable is real Cognito API semantics (cognito-local
 *   implements AdminDisableUser, not AdminUserGlobalSignOut, whose call is
 *   checked at the SDK boundary in offboarder.test.ts);
 * - invitations: `inviteAndProvision` creates the user and claims and
 *   provisions like a sign-up; the pool's own refusal (its PreSignUp rules) is
 *   checked at the SDK boundary.
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
import { mockClient } from 'aws-sdk-client-mock';
import { TENANT_ID_ATTRIBUTE, type TenantJob } from '@openclaw-tenancy/shared';
import { CognitoUserAccess, CognitoUserDirectory, CognitoUserInvitations } from '../src/adapters/cognito-user-directory';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { inviteAndProvision } from '../src/domain/tenant-claim';
import { InvitationRefusedError } from '../src/ports/user-directory';
import { CognitoLocal, startCognitoLocal } from '../src/testing/cognito-local-process';
import { LambdaInvokeServer, startLambdaInvokeServer } from '../src/testing/lambda-invoke-server';
import { TestTables, startTestTables } from './support/test-tables';

jest.setTimeout(30000);

const POLICY = { maxTenants: 10, confirmationsPerDomainPerHour: 10, tier: 'standard', runtime: 'runc' } as const;

let tables: TestTables;
let lambdas: LambdaInvokeServer;
let cognito: CognitoLocal;
let idp: CognitoIdentityProviderClient;
let userPoolId: string;

beforeAll(async () => {
  tables = await startTestTables();
  lambdas = await startLambdaInvokeServer({ functions: {} });
  cognito = await startCognitoLocal({
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-user-directory-')),
    lambdaEndpoint: lambdas.endpoint,
    triggers: {},
  });
  idp = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  userPoolId = (
    await idp.send(
      new CreateUserPoolCommand({
        PoolName: 'user-directory',
        UsernameAttributes: ['email'],
        Schema: [{ Name: 'tenant_id', AttributeDataType: 'String', Mutable: true }],
      }),
    )
  ).UserPool!.Id!;
});

afterAll(async () => {
  idp?.destroy();
  await cognito?.stop();
  await lambdas?.close();
  await tables?.close();
});

describe('inviting a user (cognito-local, dynalite)', () => {
  const jobs: Array<{ job: TenantJob; delaySeconds?: number }> = [];
  const deps = () => ({
    invitations: new CognitoUserInvitations(idp, userPoolId),
    claims: new DynamoDbTenantClaims(tables.db, tables),
    users: new CognitoUserDirectory(idp),
    queue: { send: async (job: TenantJob, delaySeconds?: number) => void jobs.push({ job, delaySeconds }) },
    now: () => new Date(),
  });

  it('creates the user with a temporary password, claims its tenant id, records it on the user and sends the provisioning job', async () => {
    const result = await inviteAndProvision(
      { email: 'lena@example.com', name: 'Lena', sendEmail: false, temporaryPassword: 'Temp-horse-12' },
      POLICY,
      deps(),
    );
    expect(result).toMatchObject({ tenantId: 'lena', newlyClaimed: true, user: { email: 'lena@example.com', userPoolId } });
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'lena@example.com' }));
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user.UserAttributes?.find((a) => a.Name === TENANT_ID_ATTRIBUTE)?.Value).toBe('lena');
    expect(jobs).toEqual([
      { job: { type: 'provision', tenantId: 'lena', owner: result.user.sub, claimedAt: result.claimedAt }, delaySeconds: 0 },
    ]);
  });

  it('refuses an address that has an account, creating and sending nothing', async () => {
    jobs.length = 0;
    await expect(inviteAndProvision({ email: 'lena@example.com', sendEmail: false }, POLICY, deps())).rejects.toThrow(
      new InvitationRefusedError('lena@example.com already has an account'),
    );
    expect(jobs).toEqual([]);
  });
});

// cognito-local does not run PreSignUp for AdminCreateUser; Cognito does (`PreSignUp_AdminCreateUser`, whose handling
// pre-signup.test.ts covers) and answers its refusal as UserLambdaValidationException.
describe('inviting a user: the pool refuses (SDK boundary)', () => {
  it("passes the PreSignUp trigger's refusal on in its own words, claiming nothing", async () => {
    const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    mockClient(client)
      .on(AdminCreateUserCommand)
      .rejects(
        Object.assign(new Error('PreSignUp failed with error Sign-up is open to example.com addresses only.'), {
          name: 'UserLambdaValidationException',
          $metadata: { httpStatusCode: 400 },
        }),
      );
    const jobs: TenantJob[] = [];
    const invited = inviteAndProvision({ email: 'eve@elsewhere.org' }, POLICY, {
      invitations: new CognitoUserInvitations(client, 'eu-west-1_pool'),
      claims: new DynamoDbTenantClaims(tables.db, tables),
      users: new CognitoUserDirectory(client),
      queue: { send: async (job: TenantJob) => void jobs.push(job) },
      now: () => new Date(),
    });
    await expect(invited).rejects.toThrow(
      new InvitationRefusedError('PreSignUp failed with error Sign-up is open to example.com addresses only.'),
    );
    expect(jobs).toEqual([]);
    expect(await new DynamoDbTenantClaims(tables.db, tables).findClaimByOwner('eve')).toBeUndefined();
  });
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
