/**
 * A declarative schema for plain JSON-like values: enough to validate the
 * platform config and registry records with path-precise messages and
 * defaults, without a runtime dependency (this package must stay browser-safe).
 */
import { IssueCollector, describe, isPlainObject, joinPath, rejectUnknownKeys } from './validation';

export type Check<T> = (value: T) => string | undefined;

export type FieldSpec =
  | { readonly kind: 'string'; readonly check?: Check<string>; readonly enum?: readonly string[] }
  | { readonly kind: 'number'; readonly integer?: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'array'; readonly items: FieldSpec; readonly minItems?: number; readonly maxItems?: number; readonly unique?: boolean }
  | { readonly kind: 'record'; readonly values: FieldSpec; readonly keyCheck?: Check<string> }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Field>> };

export interface Field {
  readonly spec: FieldSpec;
  /** A value used when the key is absent; absent and no default means required. */
  readonly default?: unknown;
  /** Absent is fine and stays absent. */
  readonly optional?: boolean;
}

export const req = (spec: FieldSpec): Field => ({ spec });
export const opt = (spec: FieldSpec): Field => ({ spec, optional: true });
export const def = (spec: FieldSpec, value: unknown): Field => ({ spec, default: value });

const PLACEHOLDER = /(^|[^a-z])(your[-_ ]|change[-_ ]?me|replace[-_ ]?me|todo|tbd|xxx|placeholder)|<[^>]*>|\.\.\./i;

/** True for values such as `your-org`, `CHANGE_ME`, `<account-id>` that were copied from docs but never filled in. */
export function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** Walks `value` against `spec`, recording issues; returns the value with defaults filled in. */
export function applySpec(spec: FieldSpec, value: unknown, path: string, issues: IssueCollector): unknown {
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') {
        issues.add(path, `expected a string, got ${describe(value)}`);
        return value;
      }
      if (looksLikePlaceholder(value)) {
        issues.add(path, `${describe(value)} looks like a placeholder; set a real value`);
        return value;
      }
      if (spec.enum && !spec.enum.includes(value)) {
        issues.add(path, `${describe(value)} is not one of: ${spec.enum.join(', ')}`);
        return value;
      }
      const problem = spec.check?.(value);
      if (problem) issues.add(path, `${describe(value)}: ${problem}`);
      return value;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.add(path, `expected a number, got ${describe(value)}`);
        return value;
      }
      if (spec.integer && !Number.isInteger(value)) issues.add(path, `expected a whole number, got ${value}`);
      if (spec.min !== undefined && value < spec.min) issues.add(path, `must be at least ${spec.min}, got ${value}`);
      if (spec.max !== undefined && value > spec.max) issues.add(path, `must be at most ${spec.max}, got ${value}`);
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') issues.add(path, `expected true or false, got ${describe(value)}`);
      return value;
    case 'array': {
      if (!Array.isArray(value)) {
        issues.add(path, `expected a list, got ${describe(value)}`);
        return value;
      }
      if (spec.minItems !== undefined && value.length < spec.minItems) {
        issues.add(path, `needs at least ${spec.minItems} item${spec.minItems === 1 ? '' : 's'}, got ${value.length}`);
      }
      if (spec.maxItems !== undefined && value.length > spec.maxItems) {
        issues.add(path, `allows at most ${spec.maxItems} items, got ${value.length}`);
      }
      if (spec.unique) {
        const seen = new Set<string>();
        value.forEach((item, i) => {
          const key = JSON.stringify(item);
          if (seen.has(key)) issues.add(joinPath(path, i), `duplicate of an earlier item ${describe(item)}`);
          seen.add(key);
        });
      }
      return value.map((item, i) => applySpec(spec.items, item, joinPath(path, i), issues));
    }
    case 'record': {
      if (!isPlainObject(value)) {
        issues.add(path, `expected a map, got ${describe(value)}`);
        return value;
      }
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const keyProblem = spec.keyCheck?.(key);
        if (keyProblem) issues.add(joinPath(path, key), `key ${describe(key)}: ${keyProblem}`);
        out[key] = applySpec(spec.values, item, joinPath(path, key), issues);
      }
      return out;
    }
    case 'object': {
      if (!isPlainObject(value)) {
        issues.add(path, `expected an object, got ${describe(value)}`);
        return value;
      }
      rejectUnknownKeys(value, Object.keys(spec.fields), path, issues);
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(spec.fields)) {
        const fieldPath = joinPath(path, key);
        if (value[key] === undefined) {
          if (field.default !== undefined) out[key] = applySpec(field.spec, structuredCloneJson(field.default), fieldPath, issues);
          else if (!field.optional) issues.add(fieldPath, 'is required');
          continue;
        }
        out[key] = applySpec(field.spec, value[key], fieldPath, issues);
      }
      return out;
    }
  }
}

function structuredCloneJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
