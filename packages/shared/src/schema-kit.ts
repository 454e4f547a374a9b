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

export interface Field<S extends FieldSpec = FieldSpec> {
  readonly spec: S;
  /** A value used when the key is absent; absent and no default means required. */
  readonly default?: unknown;
  /** Absent is fine and stays absent. */
  readonly optional?: boolean;
}

/** A key that may be absent (and then stays absent). */
export interface OptionalField<S extends FieldSpec = FieldSpec> extends Field<S> {
  readonly optional: true;
}

export const req = <const S extends FieldSpec>(spec: S): Field<S> => ({ spec });
export const opt = <const S extends FieldSpec>(spec: S): OptionalField<S> => ({ spec, optional: true });
/** A key that is filled in with `value` (validated like given input) when absent, so it is always present after validation. */
export const def = <const S extends FieldSpec>(spec: S, value: unknown): Field<S> => ({ spec, default: value });

/** The same field for each of `keys` (e.g. one per tier), keeping the keys in the type. */
export function fieldPerKey<K extends string, F extends Field>(keys: readonly K[], field: (key: K) => F): Readonly<Record<K, F>> {
  return Object.fromEntries(keys.map((key) => [key, field(key)])) as Record<K, F>;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectValue<F> = Simplify<
  { readonly [K in keyof F as F[K] extends OptionalField ? never : K]: F[K] extends Field<infer S> ? SpecValue<S> : never } & {
    readonly [K in keyof F as F[K] extends OptionalField ? K : never]?: F[K] extends Field<infer S> ? SpecValue<S> : never;
  }
>;

/**
 * The type of a value that passed {@link applySpec} with `S`: types are
 * derived from a spec, never written next to it, so the two cannot disagree.
 */
export type SpecValue<S> = S extends { readonly kind: 'string'; readonly enum: readonly (infer E extends string)[] }
  ? E
  : S extends { readonly kind: 'string' }
    ? string
    : S extends { readonly kind: 'number' }
      ? number
      : S extends { readonly kind: 'boolean' }
        ? boolean
        : S extends { readonly kind: 'array'; readonly items: infer I }
          ? readonly SpecValue<I>[]
          : S extends { readonly kind: 'record'; readonly values: infer V }
            ? Readonly<Record<string, SpecValue<V>>>
            : S extends { readonly kind: 'object'; readonly fields: infer F }
              ? ObjectValue<F>
              : never;

const PLACEHOLDER = /(^|[^a-z])(your[-_ ]|change[-_ ]?me|replace[-_ ]?me|todo|tbd|xxx|placeholder)|<[^>]*>|\.\.\./i;

/** True for values such as `your-org`, `CHANGE_ME`, `<account-id>` that were copied from docs but never filled in. */
export function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/**
 * Validates `value` against `spec`, recording every issue; returns the value
 * with defaults filled in, typed by the spec (meaningful once `issues` is empty).
 */
export function validateSpec<const S extends FieldSpec>(spec: S, value: unknown, path: string, issues: IssueCollector): SpecValue<S> {
  // applySpec checks exactly what SpecValue<S> describes; the type only holds when no issue was recorded.
  return applySpec(spec, value, path, issues) as SpecValue<S>;
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
