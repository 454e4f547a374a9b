import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTenantClaims } from '../src/adapters/dynamodb/tenant-claims-table';
import { CAPACITY_ITEM_KEY, tenantItemKey } from '../src/adapters/dynamodb/table-keys';
import { hourWindowOf } from '../src/domain/hour-window';
import { claimTenant } from '../src/domain/tenant-claim';
import { createPostConfirmationHandler } from '../src/handlers/post-confirmation';
import { localLambdaContext } from '../src/testing/lambda-invoke-server';
import { TestTables, startTestTables } from './support/test-tables';
import { RecordingQueue, RecordingUserDirectory, quietLogger } from './support/recording-ports';

// Real servers (Git, dynalite) on a shared 2-core machine: generous, not a performance assertion.
jest.setTimeout(30000);

const NOW = new Date('2026-11-25T13:20:00Z');
const sub = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;

function confirmEvent(email: string, userSub: string, triggerSource = 'PostConfirmation_ConfirmSignUp') {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_pool',
    userName: userSub,
    triggerSource,
    callerContext: { awsSdkVersion: 'x', clientId: 'client' },
    request: { userAttributes: { sub: userSub, email, email_verified: 'true' } },
    response: {},
  };
}

describe('post-confirmation handler (dynalite)', () => {
  let tables: TestTables;
  let queue: RecordingQueue;
  let users: RecordingUserDirectory;

  beforeEach(async () => {
    tables = await startTestTables();
    queue = new RecordingQueue();
    users = new RecordingUserDirectory();
  });
  afterEach(() => tables.close());

  function handler(policy: Partial<{ maxTenants: number; confirmationsPerDomainPerHour: number }> = {}) {
    const created = createPostConfirmationHandler({
      policy: { maxTenants: 1000, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc', ...policy },
      claims: new DynamoDbTenantClaims(tables.db, tables),
      users,
      queue,
      idempotencyStore: tables.idempotencyStore(),
      logger: quietLogger(),
      now: () => NOW,
    });
    return (event: unknown) => created(event, localLambdaContext('post-confirmation'));
  }
  const item = async (table: string, key: { pk: string }) => (await tables.db.send(new GetCommand({ TableName: table, Key: key }))).Item;

  it('claims the derived id, records it on the user, enqueues provisioning and returns the event', async () => {
    const event = confirmEvent('Jane.Doe+ai@example.com', sub(1));
    await expect(handler()(event)).resolves.toEqual(event);
    expect(users.updates).toEqual([{ userPoolId: 'eu-west-1_pool', userName: sub(1), tenantId: 'jane-doe' }]);
    expect(queue.sent).toEqual([
      { job: { type: 'provision', tenantId: 'jane-doe', owner: sub(1), claimedAt: '2026-11-25T13:20:00Z' }, delaySeconds: 0 },
    ]);
    // With the candidates' base and the Cognito user: what the provisioner needs to move the claim should the
    // GitOps registry give the id to somebody else.
    expect(await item(tables.tenantTable, tenantItemKey('jane-doe'))).toMatchObject({
      owner: sub(1),
      status: 'claimed',
      admission: 'immediate',
      tier: 'standard',
      idBase: 'jane-doe',
      userPoolId: 'eu-west-1_pool',
      userName: sub(1),
    });
    expect(await item(tables.tenantTable, CAPACITY_ITEM_KEY)).toMatchObject({ count: 1 });
  });

  it('gives the same id to a duplicate confirmation (Cognito retry), claiming once', async () => {
    await handler()(confirmEvent('jane@example.com', sub(1)));
    // A fresh handler instance: the Powertools record in DynamoDB, not memory, answers.
    await handler()(confirmEvent('jane@example.com', sub(1)));
    expect(queue.sent.map((s) => s.job.tenantId)).toEqual(['jane']);
    expect(await item(tables.tenantTable, CAPACITY_ITEM_KEY)).toMatchObject({ count: 1 });
    // Without the idempotency layer the owner item still returns the same id.
    const again = await claimTenant(
      { owner: sub(1), email: 'jane@example.com' },
      { maxTenants: 1000, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' },
      { claims: new DynamoDbTenantClaims(tables.db, tables), now: () => NOW },
    );
    expect(again).toMatchObject({ tenantId: 'jane', newlyClaimed: false });
    expect(await item(tables.tenantTable, CAPACITY_ITEM_KEY)).toMatchObject({ count: 1 });
  });

  it('gives one mailbox one tenant: a sub-addressed or re-cased second account is refused inside the claim transaction', async () => {
    await handler()(confirmEvent('alice@example.com', sub(1)));
    for (const [n, email] of [
      [2, 'alice+1@example.com'],
      [3, 'ALICE+2@Example.com'],
      [4, 'Alice@example.com'],
    ] as const) {
      await expect(handler()(confirmEvent(email, sub(n)))).rejects.toThrow(
        'This mailbox already has a workspace; sign in with the address you first registered.',
      );
    }
    expect(queue.sent.map((s) => s.job.tenantId)).toEqual(['alice']);
    expect(users.updates.map((u) => u.userName)).toEqual([sub(1)]);
    // Nothing of the refused claims stays behind: no owner item, no tenant item, capacity counted once.
    const { Items = [] } = await tables.db.send(new ScanCommand({ TableName: tables.tenantTable }));
    expect(Items.filter((i) => String(i.pk).startsWith('owner#')).map((i) => i.pk)).toEqual([`owner#${sub(1)}`]);
    expect(Items.filter((i) => String(i.pk).startsWith('tenant#')).map((i) => i.pk)).toEqual(['tenant#alice']);
    expect(Items.filter((i) => String(i.pk).startsWith('mailbox#'))).toEqual([expect.objectContaining({ owner: sub(1) })]);
    expect(JSON.stringify(Items)).not.toMatch(/alice@/i);
    expect(await item(tables.tenantTable, CAPACITY_ITEM_KEY)).toMatchObject({ count: 1 });
  });

  it('refuses a second mailbox claim even when both confirmations race', async () => {
    const results = await Promise.allSettled([
      handler()(confirmEvent('dave+a@example.com', sub(5))),
      handler()(confirmEvent('dave+b@example.com', sub(6))),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(queue.sent).toHaveLength(1);
    expect(await item(tables.tenantTable, CAPACITY_ITEM_KEY)).toMatchObject({ count: 1 });
  });

  it('still lets the same owner retry after the mailbox item exists (a retry finds its claim)', async () => {
    await handler()(confirmEvent('erin+x@example.com', sub(7)));
    await expect(
      claimTenant(
        { owner: sub(7), email: 'erin@example.com' },
        { maxTenants: 10, confirmationsPerDomainPerHour: 5, tier: 'standard', runtime: 'runc' },
        { claims: new DynamoDbTenantClaims(tables.db, tables), now: () => NOW },
      ),
    ).resolves.toMatchObject({ tenantId: 'erin', newlyClaimed: false });
  });

  it('never reuses an id, even a tombstoned one', async () => {
    await tables.db.send(
      new PutCommand({
        TableName: tables.tenantTable,
        Item: { ...tenantItemKey('jane'), status: 'deleted', deletedAt: '2026-01-01T00:00:00Z' },
      }),
    );
    await handler()(confirmEvent('jane@example.com', sub(2)));
    await handler()(confirmEvent('jane@other.example', sub(3)));
    expect(queue.sent.map((s) => s.job.tenantId)).toEqual(['jane-2', 'jane-3']);
  });

  it('changes nothing for a password-reset confirmation', async () => {
    const event = confirmEvent('jane@example.com', sub(1), 'PostConfirmation_ConfirmForgotPassword');
    await expect(handler()(event)).resolves.toEqual(event);
    expect(queue.sent).toEqual([]);
    expect(users.updates).toEqual([]);
    for (const table of [tables.tenantTable, tables.signupGuardTable, tables.idempotencyTable]) {
      expect((await tables.db.send(new ScanCommand({ TableName: table }))).Items).toEqual([]);
    }
  });

  it.each([
    [
      'a wrong trigger source',
      { ...confirmEvent('jane@example.com', sub(1)), triggerSource: 'PreSignUp_SignUp' },
      /post-confirmation handles PostConfirmation_ConfirmSignUp and PostConfirmation_ConfirmForgotPassword, not "PreSignUp_SignUp"/,
    ],
    [
      'no sub',
      { ...confirmEvent('jane@example.com', sub(1)), request: { userAttributes: { email: 'jane@example.com' } } },
      'the event has no request.userAttributes.sub',
    ],
    [
      'no e-mail',
      { ...confirmEvent('jane@example.com', sub(1)), request: { userAttributes: { sub: sub(1) } } },
      'the event has no request.userAttributes.email',
    ],
    [
      'a sub that is not an opaque id',
      {
        ...confirmEvent('jane@example.com', sub(1)),
        request: { userAttributes: { sub: 'jane doe@example.com', email: 'jane@example.com' } },
      },
      'request.userAttributes.sub is not an opaque user id',
    ],
    ['no user pool', { ...confirmEvent('jane@example.com', sub(1)), userPoolId: undefined }, 'the event has no userPoolId'],
  ])('fails if the event has %s, touching nothing', async (_what, event, message) => {
    await expect(handler()(event)).rejects.toThrow(message);
    expect(queue.sent).toEqual([]);
    expect(users.updates).toEqual([]);
    expect((await tables.db.send(new ScanCommand({ TableName: tables.tenantTable }))).Items).toEqual([]);
  });

  it('fails if capacity is reached, with a message for the user and no claim', async () => {
    await tables.db.send(new PutCommand({ TableName: tables.tenantTable, Item: { ...CAPACITY_ITEM_KEY, count: 2 } }));
    await expect(handler({ maxTenants: 2 })(confirmEvent('late@example.com', sub(9)))).rejects.toThrow(
      'The platform has reached its tenant capacity; contact your administrator.',
    );
    expect((await tables.db.send(new ScanCommand({ TableName: tables.tenantTable }))).Items).toEqual([{ ...CAPACITY_ITEM_KEY, count: 2 }]);
    expect(queue.sent).toEqual([]);
  });

  it('admits exactly 5 of 20 parallel confirmations from one domain now and defers the rest to later windows', async () => {
    const h = handler({ confirmationsPerDomainPerHour: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => h(confirmEvent(`user${i}@example.com`, sub(100 + i)))));
    expect(new Set(queue.sent.map((s) => s.job.tenantId)).size).toBe(20);
    const immediate = queue.sent.filter((s) => s.delaySeconds === 0);
    expect(immediate).toHaveLength(5);
    // Later windows take at most 5 each; the delay is SQS's maximum until the provisioner re-delays.
    const items = (await tables.db.send(new ScanCommand({ TableName: tables.tenantTable }))).Items ?? [];
    const admitAt = items.filter((i) => i.admission === 'reserved').map((i) => String(i.admitAt));
    expect(admitAt).toHaveLength(15);
    const perWindow = new Map<string, number>();
    for (const at of admitAt) perWindow.set(at, (perWindow.get(at) ?? 0) + 1);
    expect([...perWindow.entries()].sort()).toEqual([
      ['2026-11-25T14:00:00.000Z', 5],
      ['2026-11-25T15:00:00.000Z', 5],
      ['2026-11-25T16:00:00.000Z', 5],
    ]);
    const guard = (
      await tables.db.send(
        new GetCommand({ TableName: tables.signupGuardTable, Key: { pk: `domain#example.com#${hourWindowOf(NOW).key}` } }),
      )
    ).Item;
    expect(guard).toMatchObject({ confirmations: 5 });
    expect(await item(tables.tenantTable, CAPACITY_ITEM_KEY)).toMatchObject({ count: 20 });
    expect(queue.sent.filter((s) => s.delaySeconds > 0).every((s) => s.delaySeconds >= 40 * 60)).toBe(true);
  });
});
