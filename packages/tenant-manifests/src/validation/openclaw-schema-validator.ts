/**
 * Validates generated OpenClaw configs against OpenClaw's own JSON Schema
 * (vendored from `openclaw config schema --json`, see vendor/openclaw/), plus
 * the rules that schema cannot express but the real gateway enforces or the
 * platform relies on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';

export const OPENCLAW_SCHEMA_FILE = path.resolve(__dirname, '../../vendor/openclaw/config-schema.json');

/**
 * JSON pointers of embedded subschemas (plugin config schemas) that carry their
 * own `$defs` but no `$id`. Their `#/$defs/...` refs are relative to themselves,
 * while a validator resolves `#` against the document root, so each needs an
 * `$id` (in memory only) before compiling.
 */
export function findLocalDefsRoots(schema: unknown, pointer = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const here = !Array.isArray(schema) && '$defs' in schema && !('$id' in schema) && pointer !== '' ? [pointer] : [];
  const children = Object.entries(schema).flatMap(([key, child]) =>
    findLocalDefsRoots(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
  return [...here, ...children];
}

export interface OpenClawConfigIssue {
  readonly path: string;
  readonly message: string;
}

type Json = { [key: string]: unknown };
const get = (obj: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), obj);

export class OpenClawSchemaValidator {
  private readonly validateFn: ValidateFunction;
  /** Operator scopes the release knows (the enum of `gateway.auth.identityScopes`). */
  public readonly knownScopes: readonly string[];

  constructor(schemaFile: string = OPENCLAW_SCHEMA_FILE) {
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Json;
    for (const pointer of findLocalDefsRoots(schema)) {
      const node = pointer
        .split('/')
        .slice(1)
        .reduce<unknown>((o, k) => (o as Json)[k.replace(/~1/g, '/').replace(/~0/g, '~')], schema) as Json;
      node.$id = `https://openclaw.invalid/config-schema${pointer}`;
    }
    // optimize:false: the schema is 2.4 MB; ajv's code optimizer quadruples compile time for no runtime gain here.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { optimize: false } });
    this.validateFn = ajv.compile(schema);
    const scopeItems = get(
      schema,
      'properties',
      'gateway',
      'properties',
      'auth',
      'properties',
      'identityScopes',
      'additionalProperties',
      'items',
      'enum',
    );
    this.knownScopes = Array.isArray(scopeItems) ? (scopeItems as string[]) : [];
    if (this.knownScopes.length === 0) throw new Error(`${schemaFile} has no operator scope enum at gateway.auth.identityScopes`);
  }

  validate(config: unknown): OpenClawConfigIssue[] {
    const issues: OpenClawConfigIssue[] = [];
    if (!this.validateFn(config)) {
      for (const e of this.validateFn.errors ?? []) {
        if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
        const extra =
          e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
        issues.push({ path: e.instancePath || '/', message: `${e.message ?? e.keyword}${extra}` });
      }
    }
    issues.push(...this.releaseRules(config));
    return issues;
  }

  /** Rules the schema leaves to code: checked by the real `openclaw config validate`, `doctor`, or by nothing at all. */
  private releaseRules(config: unknown): OpenClawConfigIssue[] {
    const issues: OpenClawConfigIssue[] = [];
    const providers = get(config, 'secrets', 'providers');
    if (providers && typeof providers === 'object') {
      for (const [name, provider] of Object.entries(providers as Json)) {
        const command = get(provider, 'command');
        if (typeof command === 'string' && !path.posix.isAbsolute(command)) {
          issues.push({
            path: `/secrets/providers/${name}/command`,
            message: 'must be an absolute path (the gateway refuses relative commands)',
          });
        }
      }
    }
    // Retired and ignored by the gateway (only `openclaw doctor` reports it): it would give a false sense of security.
    if (get(config, 'gateway', 'controlUi', 'dangerouslyDisableDeviceAuth') !== undefined) {
      issues.push({ path: '/gateway/controlUi/dangerouslyDisableDeviceAuth', message: 'is retired and ignored; remove it' });
    }
    const scopes = get(config, 'gateway', 'auth', 'trustedProxy', 'deviceAutoApprove', 'scopes');
    if (Array.isArray(scopes)) {
      scopes.forEach((scope, i) => {
        // Free strings in the schema: a typo silently grants nothing (or, worse, the intended cap is lost).
        if (!this.knownScopes.includes(String(scope)))
          issues.push({
            path: `/gateway/auth/trustedProxy/deviceAutoApprove/scopes/${i}`,
            message: `unknown operator scope "${String(scope)}"`,
          });
      });
    }
    return issues;
  }
}
