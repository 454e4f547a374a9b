import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSignupGuardStore } from '../src/adapters/dynamodb/signup-guard-table';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { CAPACITY_ITEM_KEY, domainCounterKey } from '../src/adapters/dynamodb/table-keys';
import { hourWindowOf } from '../src/domain/hour-window';
import { createPreSignUpHandler } from '../src/handlers/pre-signup';
import { TestTables, startTestTables } from './support/test-tables';
import { quietLogger } from './support/recording-ports';

// Real servers (Git, dynalite) on a shared 2-core machine: generous, not a performance assertion.
jest.setTimeout(30000);

const NOW = new Date('2026-11-25T13:20:00Z');

function signUpEvent(email: unknown, triggerSource = 'PreSignUp_SignUp') {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_pool',
    userName: 'a1b2c3d4-0000-4000-8000-000000000001',
    triggerSource,
    callerContext: { awsSdkVersion: 'x', clientId: 'client' },
    request: { userAttributes: email === undefined ? {} : { email } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

describe('pre-signup handler (dynalite)', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await startTestTables();
  });
  afterAll(() => tables.close());

  function handler(
    policy: Partial<{
      allowedEmailDomains: string[];
      attemptsPerAddressPerHour: number;
      attemptsPerHour: number;
      confirmationsPerDomainPerHour: number;
      maxTenants: number;
    }> = {},
  ) {
    return createPreSignUpHandler({
      policy: {
        allowedEmailDomains: ['example.com'],
        attemptsPerAddressPerHour: 100,
        attemptsPerHour: 1000,
        confirmationsPerDomainPerHour: 5,
        maxTenants: 1000,
        ...policy,
      },
      guard: new DynamoDbSignupGuardStore(tables.db, tables.signupGuardTable),
      claims: new DynamoDbTenantClaims(tables.db, tables),
      logger: quietLogger(),
      now: () => NOW,
    });
  }

  it('admits an allowed domain, case-insensitively, and returns the event unchanged', async () => {
    const event = signUpEvent('Jane.Doe@EXAMPLE.com');
    await expect(handler()(event)).resolves.toEqual(event);
  });

  it('admits PreSignUp_AdminCreateUser too', async () => {
    await expect(handler()(signUpEvent('admin-made@example.com', 'PreSignUp_AdminCreateUser'))).resolves.toBeDefined();
  });

  it.each([
    ['a sub-domain suffix trick', 'user@example.com.evil.com'],
    ['a quoted local part', '"example.com"@evil.com'],
    ['a Cyrillic look-alike domain', 'user@\u0435xample.com'],
    ['a sub-domain of an allowed domain', 'user@eu.example.com'],
  ])('fails if the address uses %s', async (_what, email) => {
    const attempt = handler()(signUpEvent(email));
    await expect(attempt).rejects.toThrow(/^(Sign-up is limited to company e-mail addresses\.|Please enter a valid e-mail address\.)$/);
    await expect(attempt).rejects.not.toThrow(/example\.com/);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without @', 'jane.example.com'],
  ])('fails if the e-mail is %s, with a message for the user', async (_what, email) => {
    await expect(handler()(signUpEvent(email))).rejects.toThrow('Please enter a valid e-mail address.');
  });

  it('admits any valid domain with "*"', async () => {
    await expect(handler({ allowedEmailDomains: ['*'] })(signUpEvent('x@anything.org'))).resolves.toBeDefined();
  });

  it('fails if the trigger source is not a sign-up', async () => {
    await expect(handler()(signUpEvent('jane@example.com', 'PostConfirmation_ConfirmSignUp'))).rejects.toThrow(
      /pre-signup handles PreSignUp_SignUp and PreSignUp_AdminCreateUser, not "PostConfirmation_ConfirmSignUp"/,
    );
    await expect(handler()({ triggerSource: 'PreSignUp_SignUp' })).rejects.toThrow('the event has no request.userAttributes');
    await expect(handler()(null)).rejects.toThrow(/not null/);
  });

  it('admits exactly the limit of 20 parallel attempts from one address, and stores the address only hashed', async () => {
    const h = handler({ attemptsPerAddressPerHour: 5 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => h(signUpEvent('spammy@example.com'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refusals).toHaveLength(15);
    expect(refusals[0]?.reason.message).toBe(
      'Too many sign-up attempts for this address in the last hour. Please try again after 14:00 UTC.',
    );
    const { Items = [] } = await tables.db.send(new ScanCommand({ TableName: tables.signupGuardTable }));
    expect(JSON.stringify(Items)).not.toMatch(/spammy/);
    expect(Items.find((i) => String(i.pk).startsWith('address#'))).toMatchObject({
      attempts: 5,
      expiresAt: Date.parse('2026-11-25T15:00:00Z') / 1000,
    });
  });

  it('caps sign-up attempts across the whole platform per hour; a refused attempt counts for nobody', async () => {
    const scan = async () => (await tables.db.send(new ScanCommand({ TableName: tables.signupGuardTable }))).Items ?? [];
    const platformAttempts = async () => Number((await scan()).find((i) => String(i.pk).startsWith('platform#'))?.attempts ?? 0);
    // The earlier tests of this hour have counted some already: three more are allowed.
    const before = await platformAttempts();
    const counted = async () => (await scan()).filter((i) => String(i.pk).startsWith('address#') && Number(i.attempts) > 0).length;
    const addressesBefore = await counted();
    const h = handler({ attemptsPerHour: before + 3 });
    for (const who of ['ann', 'ben', 'cat']) await h(signUpEvent(`${who}@example.com`));
    await expect(h(signUpEvent('dan@example.com'))).rejects.toThrow('Too many sign-ups right now. Please try again after 14:00 UTC.');
    expect(await platformAttempts()).toBe(before + 3);
    // Three addresses counted, not dan's: a refused attempt is counted for nobody.
    expect(await counted()).toBe(addressesBefore + 3);
  });

  it('counts every sub-address and spelling of one mailbox against one attempt limit', async () => {
    const h = handler({ attemptsPerAddressPerHour: 3 });
    await h(signUpEvent('carol+1@example.com'));
    await h(signUpEvent('Carol+2@example.com'));
    await h(signUpEvent('CAROL@example.com'));
    await expect(h(signUpEvent('carol+4@example.com'))).rejects.toThrow('Too many sign-up attempts for this address in the last hour.');
    // Another mailbox of the domain is not affected.
    await expect(h(signUpEvent('carola@example.com'))).resolves.toBeDefined();
  });

  it('fails if the local part is only a +tag, and counts nothing', async () => {
    const scan = async () => (await tables.db.send(new ScanCommand({ TableName: tables.signupGuardTable }))).Items ?? [];
    const before = await scan();
    await expect(handler()(signUpEvent('+tag@example.com'))).rejects.toThrow('Please enter a valid e-mail address.');
    expect(await scan()).toEqual(before);
  });

  it('fails if the domain used up its confirmations this hour, even for a new address', async () => {
    await tables.db.send(
      new PutCommand({
        TableName: tables.signupGuardTable,
        Item: { ...domainCounterKey('full.example', hourWindowOf(NOW)), confirmations: 5 },
      }),
    );
    const h = handler({ allowedEmailDomains: ['full.example'] });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => h(signUpEvent(`user${i}@full.example`))));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await expect(h(signUpEvent('new@full.example'))).rejects.toThrow(
      'Too many sign-ups from full.example in the last hour. Please try again after 14:00 UTC.',
    );
  });

  it('fails if the platform is at capacity', async () => {
    await tables.db.send(new PutCommand({ TableName: tables.tenantTable, Item: { ...CAPACITY_ITEM_KEY, count: 3 } }));
    await expect(handler({ maxTenants: 3 })(signUpEvent('late@example.com'))).rejects.toThrow(
      'The platform has reached its tenant capacity; contact your administrator.',
    );
    await expect(handler({ maxTenants: 4 })(signUpEvent('early@example.com'))).resolves.toBeDefined();
  });
});
