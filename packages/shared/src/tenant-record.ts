/**
 * The tenant registry record: what `tenants/<id>.yaml` holds. No e-mail, no
 * secrets; the owner is the Cognito `sub`. A deleted tenant stays as a
 * tombstone forever so its id (and with it its namespace, EFS directory and
 * secret names) can never be handed to somebody else.
 */
import { MODEL_ALIAS_PATTERN } from './bedrock-models';
import { imageDigestProblem, imageTagProblem } from './image-build';
import { FieldSpec, SpecValue, opt, req, validateSpec } from './schema-kit';
import { assertTenantId, tenantIdProblem } from './tenant-id';
import { RUNTIME_TIERS, RuntimeTier, TENANT_TIERS, TenantTier } from './tiers';
import { IssueCollector } from './validation';

export const TENANT_RECORD_API_VERSION = 'openclaw.io/v1';
export const TENANT_RECORD_KIND = 'Tenant';

export const TENANT_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** ARN of a Bedrock application inference profile (the id is random, hence stored in the registry). */
export const APPLICATION_INFERENCE_PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile\/[a-z0-9]{1,64}$/;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const isoCheck = (v: string): string | undefined =>
  ISO_UTC.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'expected an ISO-8601 UTC timestamp such as 2026-11-25T10:00:00Z';

/** Cognito subs are UUIDs; local tooling may use other opaque ids, but never e-mails or whitespace. */
export const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$/;

/** Why a tenant was suspended or offboarded (record `statusReason`, offboard jobs): a short lower-case word such as `budget`. */
export const STATUS_REASON_PATTERN = /^[a-z][a-z0-9-]{0,40}$/;

/** The registry file's shape; {@link TenantRecord} is derived from it. */
const RECORD_SPEC = {
  kind: 'object',
  fields: {
    apiVersion: req({ kind: 'string', enum: [TENANT_RECORD_API_VERSION] as const }),
    kind: req({ kind: 'string', enum: [TENANT_RECORD_KIND] as const }),
    id: req({ kind: 'string', check: (v) => tenantIdProblem(v)?.detail }),
    /** Cognito `sub` of the owner: the only identity allowed into the workspace. */
    owner: req({
      kind: 'string',
      check: (v) => (OWNER_PATTERN.test(v) ? undefined : 'expected an opaque owner id (the Cognito sub), not an e-mail or free text'),
    }),
    tier: req({ kind: 'string', enum: TENANT_TIERS }),
    runtime: req({ kind: 'string', enum: RUNTIME_TIERS }),
    status: req({ kind: 'string', enum: TENANT_STATUSES }),
    /** ISO-8601 UTC timestamp of the claim. */
    createdAt: req({ kind: 'string', check: isoCheck }),
    /** Set when status became `suspended`. */
    suspendedAt: opt({ kind: 'string', check: isoCheck }),
    /** Set when status became `deleted` (the tombstone date). */
    deletedAt: opt({ kind: 'string', check: isoCheck }),
    /** Why the status is not `active` (e.g. `budget`, `offboarded`). */
    statusReason: opt({
      kind: 'string',
      check: (v) => (STATUS_REASON_PATTERN.test(v) ? undefined : 'use a short lower-case reason such as "budget"'),
    }),
    /** Monthly Bedrock budget override in USD; absent means the platform default. */
    monthlyBudgetUsd: opt({ kind: 'number', min: 0, max: 1000000 }),
    /** The gateway never idles (it keeps its compute when unused); absent means it idles after its tier's timeout (docs/adr/0700). */
    alwaysOn: opt({ kind: 'boolean' }),
    /**
     * The build of the platform image this tenant runs instead of the platform
     * image (config `image`): set by a rollout wave (`platform-admin upgrade`),
     * or by an operator to hold the tenant back or try a build on it first
     * (`pinned`: rollouts pass it by). Same repository always; absent means the
     * platform image (docs/adr/0603).
     */
    image: opt({
      kind: 'object',
      fields: {
        tag: opt({ kind: 'string', check: imageTagProblem }),
        digest: opt({ kind: 'string', check: imageDigestProblem }),
        /** Rollouts leave this tenant on its build until an operator releases it. */
        pinned: opt({ kind: 'boolean' }),
      },
    }),
    /**
     * The tenant's Bedrock application inference profiles (model alias → ARN),
     * created and tagged by the provisioner. The tenant role may invoke models
     * only through profiles tagged with its namespace, and usage is attributed
     * per profile (ADR 0102). Absent until the provisioner has created them.
     */
    inferenceProfiles: opt({
      kind: 'record',
      keyCheck: (k) => (MODEL_ALIAS_PATTERN.test(k) ? undefined : 'not a model alias'),
      values: {
        kind: 'string',
        check: (v) => (APPLICATION_INFERENCE_PROFILE_ARN.test(v) ? undefined : 'not a Bedrock application inference profile ARN'),
      },
    }),
  },
} satisfies FieldSpec;

/** One registry file (`tenants/<id>.yaml`), as validated: derived from the spec, so the two cannot disagree. */
export type TenantRecord = SpecValue<typeof RECORD_SPEC>;

/**
 * Validates a parsed registry document. `source` names the file in errors;
 * `expectedId` (from the file name) must match the `id` inside.
 */
export function validateTenantRecord(raw: unknown, issues: IssueCollector, expectedId?: string): TenantRecord {
  const record = validateSpec(RECORD_SPEC, raw, '', issues);
  if (!issues.ok) return record;
  if (expectedId !== undefined && record.id !== expectedId) {
    issues.add('id', `"${record.id}" does not match the file name (expected "${expectedId}")`);
  }
  if (record.status === 'deleted' && !record.deletedAt) issues.add('deletedAt', 'a deleted tenant (tombstone) needs deletedAt');
  if (record.status !== 'deleted' && record.deletedAt) issues.add('deletedAt', 'only a deleted tenant may have deletedAt');
  if (record.status === 'suspended' && !record.suspendedAt) issues.add('suspendedAt', 'a suspended tenant needs suspendedAt');
  if (record.status === 'active' && record.suspendedAt) issues.add('suspendedAt', 'an active tenant must not have suspendedAt');
  if (record.image && !record.image.tag && !record.image.digest) issues.add('image', 'name a build: a tag, a digest or both');
  return record;
}

export interface NewTenantRecordInput {
  readonly id: string;
  readonly owner: string;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
  readonly createdAt: Date;
  readonly monthlyBudgetUsd?: number;
}

export function newTenantRecord(input: NewTenantRecordInput): TenantRecord {
  assertTenantId(input.id);
  return {
    apiVersion: TENANT_RECORD_API_VERSION,
    kind: TENANT_RECORD_KIND,
    id: input.id,
    owner: input.owner,
    tier: input.tier,
    runtime: input.runtime,
    status: 'active',
    createdAt: toIsoSeconds(input.createdAt),
    ...(input.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: input.monthlyBudgetUsd } : {}),
  };
}

/** A lifecycle transition that is not allowed from the record's current status. */
export class TenantStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantStateError';
  }
}

/** Suspends an active tenant; idempotent for an already suspended one. */
export function suspendTenant(record: TenantRecord, at: Date, reason: string): TenantRecord {
  if (record.status === 'deleted') throw new TenantStateError(`tenant "${record.id}" is deleted and cannot be suspended`);
  if (record.status === 'suspended') return record;
  return { ...record, status: 'suspended', suspendedAt: toIsoSeconds(at), statusReason: reason };
}

/** Reactivates a suspended tenant; idempotent for an active one. */
export function resumeTenant(record: TenantRecord): TenantRecord {
  if (record.status === 'deleted') throw new TenantStateError(`tenant "${record.id}" is deleted and cannot be resumed; its id stays taken`);
  if (record.status === 'active') return record;
  const { suspendedAt: _s, statusReason: _r, ...rest } = record;
  return { ...rest, status: 'active' };
}

/** Turns a tenant into a tombstone; idempotent. The record is kept so the id is never reused. */
export function tombstoneTenant(record: TenantRecord, at: Date, reason = 'offboarded'): TenantRecord {
  if (record.status === 'deleted') return record;
  const { suspendedAt: _s, ...rest } = record;
  return { ...rest, status: 'deleted', deletedAt: toIsoSeconds(at), statusReason: reason };
}

/**
 * Tenants with a workload, route and edge policy in the cluster: all but tombstones, whose folder keeps only
 * their data (a suspended tenant keeps every object and runs zero replicas).
 */
export function hasWorkload(record: TenantRecord): boolean {
  return record.status !== 'deleted';
}

export function toIsoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
