import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  DescribeSecretCommandOutput,
  GetSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { EnsureSecretOutcome, PlatformSecretReader, ScheduleDeletionOutcome, TenantSecretSpec, TenantSecrets } from '../ports/tenant-secrets';
import { awsErrorName } from './aws-error-name';

export class SecretsManagerTenantSecrets implements TenantSecrets {
  constructor(private readonly client: SecretsManagerClient) {}

  async ensure(spec: TenantSecretSpec): Promise<EnsureSecretOutcome> {
    let current = await this.describe(spec.secretId);
    if (!current) {
      try {
        await this.client.send(
          new CreateSecretCommand({
            Name: spec.secretId,
            SecretString: spec.initialValue,
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
