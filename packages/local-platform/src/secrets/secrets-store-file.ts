/**
 * The local secrets store's file: secrets (with tags and deletion schedule)
 * and the access keys of the callers. It holds credentials and secret values,
 * so it is written with mode 0600 by an atomic rename and never logged.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly secretString: string;
  readonly versionId: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The KMS key the caller named (recorded and described, never used: the file is not encrypted with it). */
  readonly kmsKeyId?: string;
  /** ISO time the secret was created. */
  readonly createdAt: string;
  readonly lastChangedAt: string;
  /** ISO time after which a scheduled deletion purges the secret; absent when not scheduled. */
  readonly deletionDate?: string;
  readonly deletedAt?: string;
}

/**
 * Who calls the store. The platform functions (provisioner, offboarder) manage
 * every secret; a tenant gateway may only read secrets tagged with its own
 * namespace, like the tenant role's ABAC condition in AWS.
 */
export type SecretsPrincipal =
  { readonly kind: 'platform'; readonly name: string } | { readonly kind: 'tenant'; readonly tenantId: string; readonly namespace: string };

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principal: SecretsPrincipal;
}

interface StoreDocument {
  readonly version: 1;
  secrets: StoredSecret[];
  accessKeys: AccessKey[];
}

const FILE_MODE = 0o600;

export class SecretsStoreFile {
  private constructor(
    readonly file: string,
    private document: StoreDocument,
  ) {}

  /** Opens (or creates) the store; secrets whose deletion date has passed are purged, as Secrets Manager does. */
  static open(file: string, now: Date = new Date()): SecretsStoreFile {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    let document: StoreDocument = { version: 1, secrets: [], accessKeys: [] };
    if (fs.existsSync(file)) {
      // A store someone made readable is repaired rather than silently kept that way.
      fs.chmodSync(file, FILE_MODE);
      document = JSON.parse(fs.readFileSync(file, 'utf8')) as StoreDocument;
    }
    const store = new SecretsStoreFile(file, document);
    const before = document.secrets.length;
    document.secrets = document.secrets.filter((s) => !s.deletionDate || Date.parse(s.deletionDate) > now.getTime());
    if (!fs.existsSync(file) || document.secrets.length !== before) store.save();
    return store;
  }

  get secrets(): readonly StoredSecret[] {
    return this.document.secrets;
  }

  findSecret(nameOrArn: string): StoredSecret | undefined {
    return this.document.secrets.find((s) => s.name === nameOrArn || s.arn === nameOrArn);
  }

  putSecret(secret: StoredSecret): void {
    this.document.secrets = [...this.document.secrets.filter((s) => s.arn !== secret.arn), secret];
    this.save();
  }

  removeSecret(arn: string): void {
    this.document.secrets = this.document.secrets.filter((s) => s.arn !== arn);
    this.save();
  }

  accessKeyById(accessKeyId: string): AccessKey | undefined {
    return this.document.accessKeys.find((k) => k.accessKeyId === accessKeyId);
  }

  /** The principal's access key, issued on first request and stable afterwards (gateways keep theirs across restarts). */
  accessKeyFor(principal: SecretsPrincipal): AccessKey {
    const existing = this.document.accessKeys.find((k) => samePrincipal(k.principal, principal));
    if (existing) return existing;
    const key: AccessKey = {
      // Shaped like an IAM access key id so tools that check the format accept it.
      accessKeyId: `AKIALOCAL${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 20),
      secretAccessKey: randomBytes(30).toString('base64'),
      principal,
    };
    this.document.accessKeys = [...this.document.accessKeys, key];
    this.save();
    return key;
  }

  private save(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(this.document, null, 2)}\n`, { mode: FILE_MODE });
    fs.renameSync(temp, this.file);
  }
}

function samePrincipal(a: SecretsPrincipal, b: SecretsPrincipal): boolean {
  if (a.kind === 'platform' && b.kind === 'platform') return a.name === b.name;
  if (a.kind === 'tenant' && b.kind === 'tenant') return a.tenantId === b.tenantId && a.namespace === b.namespace;
  return false;
}
