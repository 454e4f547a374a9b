/**
 * Text form of one registry file (`tenants/<id>.yaml`). Key order is fixed so
 * a record always serializes to the same bytes, whoever writes it (the CLI, the
 * provisioner Lambda, a person's editor after `tenants add`).
 */
import { IssueCollector, TenantRecord, ValidationError, validateTenantRecord } from '@openclaw-tenancy/shared';
import { YAMLParseError, parseDocument, stringify } from 'yaml';

/** Every field of a record, in file order: a field added to the record type fails to compile until it is placed here. */
const KEY_POSITION: Readonly<Record<keyof TenantRecord, number>> = {
  apiVersion: 0,
  kind: 1,
  id: 2,
  owner: 3,
  tier: 4,
  runtime: 5,
  status: 6,
  createdAt: 7,
  suspendedAt: 8,
  deletedAt: 9,
  statusReason: 10,
  monthlyBudgetUsd: 11,
  alwaysOn: 12,
  image: 13,
  inferenceProfiles: 14,
};
const KEY_ORDER = (Object.keys(KEY_POSITION) as (keyof TenantRecord)[]).sort((a, b) => KEY_POSITION[a] - KEY_POSITION[b]);

const HEADER = '# Tenant registry entry. Managed by the provisioner and the `tenants` CLI; no e-mail, no secrets.\n';

export function serializeTenantRecord(record: TenantRecord): string {
  const ordered: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (record[key] !== undefined) ordered[key] = record[key];
  if (record.image) {
    const { tag, digest, pinned } = record.image;
    ordered.image = { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), ...(pinned !== undefined ? { pinned } : {}) };
  }
  if (record.inferenceProfiles) {
    ordered.inferenceProfiles = Object.fromEntries(Object.entries(record.inferenceProfiles).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return HEADER + stringify(ordered, { lineWidth: 0 });
}

/**
 * Parses and validates one registry file. `fileName` is used in errors and its
 * base name must equal the id inside, so a copied file cannot claim another id.
 */
export function parseTenantRecordText(text: string, fileName: string): TenantRecord {
  const expectedId = baseNameWithoutYaml(fileName);
  let raw: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, strict: true });
    if (doc.errors.length > 0) throw doc.errors[0];
    raw = doc.toJS();
  } catch (e) {
    const detail = e instanceof YAMLParseError ? e.message.split('\n')[0] : (e as Error).message;
    throw new ValidationError(fileName, [{ path: '', message: `is not valid YAML: ${detail}` }]);
  }
  const issues = new IssueCollector();
  const record = validateTenantRecord(raw, issues, expectedId);
  issues.throwIfAny(fileName);
  return record;
}

function baseNameWithoutYaml(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.ya?ml$/, '');
}
