import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  DescribeSecretCommandOutput,
  GetSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type {
  EnsureSecretOutcome,
  PlatformSecretReader,
  ScheduleDeletionOutcome,
  TenantSecretSpec,
  TenantSecrets,
} from '../ports/tenant-secrets';
import { awsErrorName } from './aws-error-name';

export interface SecretsManagerTenantSecretsOptions {
  /**
   * ARN of the KMS key new tenant secrets are encrypted with; an existing
   * secret on another key is moved to it (Secrets Manager re-encrypts its
   * versions). The tenant role may decrypt it through Secrets Manager only.
   * @default - the AWS managed key `aws/secretsmanager` (deleting and offboarding need no key)
   */
  readonly encryptionKeyArn?: string;
}

/** The key id of a key ARN (`arn:…:key/<id>`), or the value as given (a bare id, an alias). */
function keyIdOf(keyIdOrArn: string): string {
  return /^arn:[^:]+:kms:[^:]*:\d*:key\/(.+)$/.exec(keyIdOrArn)?.[1] ?? keyIdOrArn;
}

export class SecretsManagerTenantSecrets implements TenantSecrets {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: SecretsManagerTenantSecretsOptions = {},
  ) {}

  async ensure(spec: TenantSecretSpec): Promise<EnsureSecretOutcome> {
    let current = await this.describe(spec.secretId);
    if (!current) {
      try {
        await this.client.send(
          new CreateSecretCommand({
            Name: spec.secretId,
            SecretString: spec.initialValue,
            ...(this.options.encryptionKeyArn ? { KmsKeyId: this.options.encryptionKeyArn } : {}),
            Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        return 'created';
      } catch (e) {
        // Another run created it between our describe and create: treat as existing.
        if (awsErrorName(e) !== 'ResourceExistsException') throw e;
        current = await this.describe(spec.secretId);
        if (!current) throw e;
      }
    }
    let outcome: EnsureSecretOutcome = 'existed';
    if (current.DeletedDate) {
      await this.client.send(new RestoreSecretCommand({ SecretId: spec.secretId }));
      outcome = 'restored';
    }
    const key = this.options.encryptionKeyArn;
    // DescribeSecret omits KmsKeyId for the AWS managed key, and may give a key id where we gave the ARN.
    if (key && (current.KmsKeyId === undefined || keyIdOf(current.KmsKeyId) !== keyIdOf(key))) {
      await this.client.send(new UpdateSecretCommand({ SecretId: spec.secretId, KmsKeyId: key }));
    }
    const have = new Map((current.Tags ?? []).map((t) => [t.Key, t.Value]));
    const missing = Object.entries(spec.tags).filter(([k, v]) => have.get(k) !== v);
    // The ABAC policy matches on these tags: an entry without them is unreadable by its tenant.
    if (missing.length > 0 || outcome === 'restored') {
      await this.client.send(
        new TagResourceCommand({ SecretId: spec.secretId, Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })) }),
      );
    }
    return outcome;
  }

  async scheduleDeletion(secretId: string, recoveryWindowDays: number): Promise<ScheduleDeletionOutcome> {
    const current = await this.describe(secretId);
    if (!current) return 'absent';
    if (current.DeletedDate) return 'already-scheduled';
    await this.client.send(new DeleteSecretCommand({ SecretId: secretId, RecoveryWindowInDays: recoveryWindowDays }));
    return 'scheduled';
  }

  private async describe(secretId: string): Promise<DescribeSecretCommandOutput | undefined> {
    try {
      return await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    } catch (e) {
      if (awsErrorName(e) === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }
}

export class SecretsManagerPlatformSecretReader implements PlatformSecretReader {
  constructor(private readonly client: SecretsManagerClient) {}

  async readJson(secretId: string): Promise<unknown> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (SecretString === undefined) throw new Error(`secret ${secretId} has no string value`);
    try {
      return JSON.parse(SecretString);
    } catch {
      // Never echo the value: it is a credential.
      throw new Error(`secret ${secretId} is not JSON`);
    }
  }
}
