import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerTenantSecrets } from '@openclaw-tenancy/lambdas';
import { TAG_TENANT, TAG_TENANT_NAMESPACE, tenantNames } from '@openclaw-tenancy/shared';
import { SECRET_PROVIDER_SCRIPT } from '@openclaw-tenancy/tenant-manifests';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { SecretsManagerServer, startSecretsManagerServer } from '../src/secrets/secrets-manager-server';
import { AccessKey, SecretsStoreFile } from '../src/secrets/secrets-store-file';

const REGION = 'eu-west-1';
const run = promisify(execFile);

describe('local secrets store (Secrets Manager JSON protocol, SigV4, ABAC)', () => {
  let dir: string;
  let store: SecretsStoreFile;
  let server: SecretsManagerServer;
  let platformKey: AccessKey;
  const refused: string[] = [];

  const client = (key: Pick<AccessKey, 'accessKeyId' | 'secretAccessKey'>) =>
    new SecretsManagerClient({
      endpoint: server.endpoint,
      region: REGION,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
  const tenantKey = (id: string) => store.accessKeyFor({ kind: 'tenant', tenantId: id, namespace: tenantNames(id).namespace });

  /** Runs the provider script exactly as the ConfigMap ships it, as the gateway of `tenantId` would. */
  async function provider(
    tenantId: string,
    key: AccessKey,
    ids: string[],
  ): Promise<{ values: Record<string, string>; errors?: Record<string, { code: string }> }> {
    const script = path.join(dir, 'secret-provider.mjs');
    fs.writeFileSync(script, SECRET_PROVIDER_SCRIPT);
    const child = run(process.execPath, [script], {
      env: {
        AWS_REGION: REGION,
        OPENCLAW_TENANT_SECRET_PREFIX: tenantNames(tenantId).secretIdPrefix,
        AWS_ACCESS_KEY_ID: key.accessKeyId,
        AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
      },
    });
    child.child.stdin?.end(JSON.stringify({ protocolVersion: 1, provider: 'tenant', ids }));
    return JSON.parse((await child).stdout) as { values: Record<string, string>; errors?: Record<string, { code: string }> };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-store-'));
    store = SecretsStoreFile.open(path.join(dir, 'secrets.json'));
    server = await startSecretsManagerServer({
      store,
      host: '127.0.0.1',
      region: REGION,
      account: '111111111111',
      log: (l) => refused.push(l),
    });
    platformKey = store.accessKeyFor({ kind: 'platform', name: 'provisioner' });
    const secrets = new SecretsManagerTenantSecrets(client(platformKey));
    for (const id of ['alice', 'bob']) {
      const names = tenantNames(id);
      await secrets.ensure({
        secretId: names.secretId('gateway'),
        tags: { [TAG_TENANT]: id, [TAG_TENANT_NAMESPACE]: names.namespace },
        initialValue: JSON.stringify({ operatorPassword: `${id}-password` }),
      });
    }
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets the provisioner adapter create, keep, schedule and restore a tenant secret idempotently', async () => {
    const secrets = new SecretsManagerTenantSecrets(client(platformKey));
    const spec = {
      secretId: 'openclaw/tenants/carol/gateway',
      tags: { [TAG_TENANT]: 'carol', [TAG_TENANT_NAMESPACE]: 'openclaw-carol' },
      initialValue: '{"operatorPassword":"first"}',
    };
    expect(await secrets.ensure(spec)).toBe('created');
    expect(await secrets.ensure({ ...spec, initialValue: '{"operatorPassword":"second"}' })).toBe('existed');
    expect(await secrets.scheduleDeletion(spec.secretId, 30)).toBe('scheduled');
    expect(await secrets.scheduleDeletion(spec.secretId, 30)).toBe('already-scheduled');
    expect(await secrets.ensure(spec)).toBe('restored');
    const value = await client(platformKey).send(new GetSecretValueCommand({ SecretId: spec.secretId }));
    expect(JSON.parse(value.SecretString ?? '{}')).toEqual({ operatorPassword: 'first' });
  });

  it('records the KMS key a secret is created with or moved to, and describes it', async () => {
    const keyArn = 'arn:aws:kms:eu-west-1:111111111111:key/0d6d3c1e-5c43-4c4b-9a55-2f6c1d3f3e7a';
    const names = tenantNames('dave');
    const spec = {
      secretId: names.secretId('gateway'),
      tags: { [TAG_TENANT]: 'dave', [TAG_TENANT_NAMESPACE]: names.namespace },
      initialValue: '{"operatorPassword":"d"}',
    };
    await new SecretsManagerTenantSecrets(client(platformKey)).ensure(spec);
    expect((await client(platformKey).send(new DescribeSecretCommand({ SecretId: spec.secretId }))).KmsKeyId).toBeUndefined();
    expect(await new SecretsManagerTenantSecrets(client(platformKey), { encryptionKeyArn: keyArn }).ensure(spec)).toBe('existed');
    expect((await client(platformKey).send(new DescribeSecretCommand({ SecretId: spec.secretId }))).KmsKeyId).toBe(keyArn);
    const value = await client(platformKey).send(new GetSecretValueCommand({ SecretId: spec.secretId }));
    expect(JSON.parse(value.SecretString ?? '{}')).toEqual({ operatorPassword: 'd' });
    await client(platformKey).send(
      new CreateSecretCommand({ Name: 'openclaw/tenants/erin/gateway', SecretString: '{}', KmsKeyId: keyArn }),
    );
    expect((await client(platformKey).send(new DescribeSecretCommand({ SecretId: 'openclaw/tenants/erin/gateway' }))).KmsKeyId).toBe(
      keyArn,
    );
    await expect(
      client(platformKey).send(new CreateSecretCommand({ Name: 'openclaw/tenants/fay/gateway', SecretString: '{}', KmsKeyId: '' })),
    ).rejects.toThrow('KmsKeyId must be a non-empty string');
  });

  it("serves a tenant gateway's own secret to the ConfigMap's provider script", async () => {
    const out = await provider('alice', tenantKey('alice'), ['gateway:operatorPassword']);
    expect(out).toEqual({ protocolVersion: 1, values: { 'gateway:operatorPassword': 'alice-password' } });
  });

  it("refuses another tenant's secret (ABAC on the tenant-namespace tag), through the script and the SDK", async () => {
    // bob's key, asking for alice's secret: the prefix is only a convenience, the tag check is the boundary.
    const out = await provider('alice', tenantKey('bob'), ['gateway:operatorPassword']);
    expect(out.values).toEqual({});
    expect(out.errors).toEqual({ 'gateway:operatorPassword': { code: 'UNAVAILABLE' } });
    await expect(
      client(tenantKey('bob')).send(new GetSecretValueCommand({ SecretId: 'openclaw/tenants/alice/gateway' })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(refused).toContain('denied tenant/bob GetSecretValue');
  });

  it('refuses writes from a tenant key, so a gateway cannot retag a secret into its namespace', async () => {
    const bob = client(tenantKey('bob'));
    await expect(
      bob.send(
        new TagResourceCommand({
          SecretId: 'openclaw/tenants/alice/gateway',
          Tags: [{ Key: TAG_TENANT_NAMESPACE, Value: 'openclaw-bob' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(bob.send(new CreateSecretCommand({ Name: 'openclaw/tenants/bob/extra', SecretString: 'x' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('refuses a wrong secret key, an unknown key id and an unsigned request', async () => {
    const alice = tenantKey('alice');
    await expect(
      client({ accessKeyId: alice.accessKeyId, secretAccessKey: 'not-the-key' }).send(
        new GetSecretValueCommand({ SecretId: 'openclaw/tenants/alice/gateway' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    await expect(
      client({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new GetSecretValueCommand({ SecretId: 'x' })),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    const res = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: '{"SecretId":"openclaw/tenants/alice/gateway"}',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('alice-password');
  });

  it('refuses a signature that does not cover the action or the body', async () => {
    const alice = tenantKey('alice');
    const url = new URL(server.endpoint);
    const signer = new SignatureV4({
      credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey },
      region: REGION,
      service: 'secretsmanager',
      sha256: Sha256,
      applyChecksum: false,
    });
    const send = async (headers: Record<string, string>, unsignedHeaders: Record<string, string>, body: string) => {
      const signed = await signer.sign({
        method: 'POST',
        protocol: 'http:',
        hostname: url.host,
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', ...headers },
        body,
      });
      const res = await fetch(server.endpoint, {
        method: 'POST',
        headers: { ...(signed.headers as Record<string, string>), ...unsignedHeaders },
        body,
      });
      return { status: res.status, text: await res.text() };
    };
    const body = '{"SecretId":"openclaw/tenants/alice/gateway"}';
    // The action added after signing.
    const unsignedTarget = await send({}, { 'x-amz-target': 'secretsmanager.GetSecretValue' }, body);
    expect(unsignedTarget).toMatchObject({ status: 400 });
    expect(unsignedTarget.text).toContain('The x-amz-target header must be signed.');
    // A signed UNSIGNED-PAYLOAD: the body is not what was signed.
    const unsignedBody = await send(
      { 'x-amz-target': 'secretsmanager.GetSecretValue', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      {},
      body,
    );
    expect(unsignedBody).toMatchObject({ status: 400 });
    expect(unsignedBody.text).toContain('x-amz-content-sha256 does not match the request body');
    // The same request signed properly is served.
    expect(await send({ 'x-amz-target': 'secretsmanager.GetSecretValue' }, {}, body)).toMatchObject({ status: 200 });
  });

  it('keeps secrets and keys in a 0600 file that survives a reopen', () => {
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    const reopened = SecretsStoreFile.open(store.file);
    expect(reopened.findSecret('openclaw/tenants/alice/gateway')?.tags[TAG_TENANT_NAMESPACE]).toBe('openclaw-alice');
    expect(reopened.accessKeyFor({ kind: 'tenant', tenantId: 'alice', namespace: 'openclaw-alice' }).accessKeyId).toBe(
      tenantKey('alice').accessKeyId,
    );
  });
});
