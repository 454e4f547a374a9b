/**
 * The subset of the Secrets Manager API the platform uses, with Secrets
 * Manager's semantics: the provisioner's create-if-absent / restore / tag
 * (`SecretsManagerTenantSecrets`), the offboarder's scheduled deletion, the Git
 * credential read, and the gateway secret provider's `GetSecretValue`.
 * Dates go over the wire as epoch seconds, as in the real JSON protocol.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describePrincipal, isAllowed } from './secret-access-policy';
import { SecretsManagerError } from './secrets-manager-error';
import type { SecretsPrincipal, SecretsStoreFile, StoredSecret } from './secrets-store-file';

export const SUPPORTED_ACTIONS = [
  'CreateSecret',
  'DescribeSecret',
  'GetSecretValue',
  'TagResource',
  'DeleteSecret',
  'RestoreSecret',
  'UpdateSecret',
] as const;
export type SecretsManagerAction = (typeof SUPPORTED_ACTIONS)[number];

export interface ActionContext {
  readonly store: SecretsStoreFile;
  readonly principal: SecretsPrincipal;
  /** Region and account that appear in ARNs. */
  readonly region: string;
  readonly account: string;
  readonly now: Date;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

function stringField(input: Input, key: string, required: true): string;
function stringField(input: Input, key: string, required: false): string | undefined;
function stringField(input: Input, key: string, required: boolean): string | undefined {
  const value = input[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new SecretsManagerError('InvalidParameterException', `${key} must be a non-empty string`);
  return value;
}

function tagsField(input: Input): Record<string, string> {
  const tags = input.Tags ?? [];
  if (!Array.isArray(tags)) throw new SecretsManagerError('InvalidParameterException', 'Tags must be a list of {Key, Value}');
  const out: Record<string, string> = {};
  for (const tag of tags as Array<{ Key?: unknown; Value?: unknown }>) {
    if (typeof tag?.Key !== 'string' || typeof tag.Value !== 'string')
      throw new SecretsManagerError('InvalidParameterException', 'every tag needs a string Key and Value');
    out[tag.Key] = tag.Value;
  }
  return out;
}

function kmsKeyIdField(input: Input): { kmsKeyId?: string } {
  const kmsKeyId = stringField(input, 'KmsKeyId', false);
  return kmsKeyId === undefined ? {} : { kmsKeyId };
}

function notFound(secretId: string): SecretsManagerError {
  return new SecretsManagerError('ResourceNotFoundException', `Secrets Manager can't find the specified secret. (${secretId})`);
}

function markedForDeletion(): SecretsManagerError {
  return new SecretsManagerError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );
}

function describe(secret: StoredSecret): Output {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Tags: Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })),
    ...(secret.kmsKeyId ? { KmsKeyId: secret.kmsKeyId } : {}),
    CreatedDate: epochSeconds(secret.createdAt),
    LastChangedDate: epochSeconds(secret.lastChangedAt),
    VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
    ...(secret.deletedAt ? { DeletedDate: epochSeconds(secret.deletedAt) } : {}),
  };
}

/** Runs one action for an authenticated caller; throws {@link SecretsManagerError} as Secrets Manager would answer. */
export function runSecretsManagerAction(action: string, input: Input, context: ActionContext): Output {
  if (!(SUPPORTED_ACTIONS as readonly string[]).includes(action)) {
    throw new SecretsManagerError('UnknownOperationException', `the local secrets store does not implement ${action}`);
  }
  const { store, now } = context;
  const at = now.toISOString();
  const secretId = action === 'CreateSecret' ? stringField(input, 'Name', true) : stringField(input, 'SecretId', true);
  const secret = store.findSecret(secretId);
  if (!isAllowed(context.principal, action, secret)) {
    // The same shape IAM gives; it names neither the secret's tags nor whether it exists.
    throw new SecretsManagerError(
      'AccessDeniedException',
      `User: ${describePrincipal(context.principal)} is not authorized to perform: secretsmanager:${action} on resource: ${secretId}`,
    );
  }

  switch (action as SecretsManagerAction) {
    case 'CreateSecret': {
      if (secret?.deletedAt)
        throw new SecretsManagerError(
          'InvalidRequestException',
          `You can't create this secret because a secret with this name is already scheduled for deletion.`,
        );
      if (secret)
        throw new SecretsManagerError('ResourceExistsException', `The operation failed because the secret ${secretId} already exists.`);
      const created: StoredSecret = {
        arn: `arn:aws:secretsmanager:${context.region}:${context.account}:secret:${secretId}-${randomBytes(3).toString('hex')}`,
        name: secretId,
        secretString: stringField(input, 'SecretString', true),
        versionId: stringField(input, 'ClientRequestToken', false) ?? randomUUID(),
        tags: tagsField(input),
        ...kmsKeyIdField(input),
        createdAt: at,
        lastChangedAt: at,
      };
      store.putSecret(created);
      return { ARN: created.arn, Name: created.name, VersionId: created.versionId };
    }
    case 'DescribeSecret':
      if (!secret) throw notFound(secretId);
      return describe(secret);
    case 'GetSecretValue':
      if (!secret) throw notFound(secretId);
      if (secret.deletedAt) throw markedForDeletion();
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.secretString,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: epochSeconds(secret.lastChangedAt),
      };
    case 'TagResource':
      if (!secret) throw notFound(secretId);
      store.putSecret({ ...secret, tags: { ...secret.tags, ...tagsField(input) }, lastChangedAt: at });
      return {};
    case 'UpdateSecret': {
      if (!secret) throw notFound(secretId);
      if (secret.deletedAt) throw markedForDeletion();
      const value = stringField(input, 'SecretString', false);
      const versionId = value === undefined ? secret.versionId : (stringField(input, 'ClientRequestToken', false) ?? randomUUID());
      store.putSecret({
        ...secret,
        ...(value === undefined ? {} : { secretString: value }),
        ...kmsKeyIdField(input),
        versionId,
        lastChangedAt: at,
      });
      return { ARN: secret.arn, Name: secret.name, ...(value === undefined ? {} : { VersionId: versionId }) };
    }
    case 'DeleteSecret': {
      if (!secret) throw notFound(secretId);
      if (input.ForceDeleteWithoutRecovery === true) {
        store.removeSecret(secret.arn);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(at) };
      }
      if (secret.deletedAt) throw markedForDeletion();
      const days = input.RecoveryWindowInDays ?? 30;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) {
        throw new SecretsManagerError('InvalidParameterException', 'RecoveryWindowInDays must be a whole number of days from 7 to 30');
      }
      const deletionDate = new Date(now.getTime() + days * 86_400_000).toISOString();
      store.putSecret({ ...secret, deletedAt: at, deletionDate, lastChangedAt: at });
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(deletionDate) };
    }
    case 'RestoreSecret': {
      if (!secret) throw notFound(secretId);
      const { deletedAt: _d, deletionDate: _dd, ...restored } = secret;
      store.putSecret({ ...restored, lastChangedAt: at });
      return { ARN: secret.arn, Name: secret.name };
    }
  }
}
