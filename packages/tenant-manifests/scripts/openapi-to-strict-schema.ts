/**
 * Converts component schemas of a Kubernetes OpenAPI v3 document
 * (`api/openapi-spec/v3/*.json` of kubernetes/kubernetes) into JSON schemas in
 * kubeconform's "standalone-strict" layout, i.e. the shape that
 * openapi2jsonschema writes into yannh/kubernetes-json-schema
 * `*-standalone-strict/` (the other files of `schemas/v1.*-standalone-strict/`):
 *
 * - every `$ref` (in v3 wrapped as `allOf: [{$ref}]` next to a `description` /
 *   `default`) is replaced by the schema it points to, its siblings dropped;
 * - `default` is dropped; `format: int-or-string` becomes
 *   `oneOf: [{type: string}, {type: integer}]`;
 * - every `type` except the root's and those of properties listed in the
 *   enclosing object's `required` becomes `[type, "null"]`;
 * - every object schema with `properties` and no `additionalProperties` gets
 *   `additionalProperties: false` (appended after its other keys);
 * - `apiVersion` / `kind` get a one-value `enum` from
 *   `x-kubernetes-group-version-kind`; the root ends with
 *   `$schema: "http://json-schema.org/schema#"`;
 * - written with two-space indentation, non-ASCII escaped, no final newline.
 * `x-kubernetes-*` keys are kept as they are.
 *
 * Usage: npx tsx scripts/openapi-to-strict-schema.ts <openapi-v3.json> <out-dir> <component>...
 *   e.g. ... /tmp/spec.json schemas/v1.31.0-standalone-strict \
 *        io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy
 * The file name is `<kind>-<first label of the group>-<version>.json`
 * (`<kind>-<version>.json` for the core group), lower case, as in kubeconform.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

const SCHEMA_DIALECT = 'http://json-schema.org/schema#';
const REF_PREFIX = '#/components/schemas/';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The component a schema points at: `{$ref}` or v3's `{allOf: [{$ref}], ...}`. */
function refTarget(schema: JsonObject): string | undefined {
  if (typeof schema.$ref === 'string') return schema.$ref;
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) {
    const only = allOf[0];
    if (isObject(only) && typeof only.$ref === 'string') return only.$ref;
  }
  return undefined;
}

class Converter {
  constructor(private readonly components: JsonObject) {}

  private component(ref: string): JsonObject {
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
    const found = this.components[ref.slice(REF_PREFIX.length)];
    if (!isObject(found)) throw new Error(`$ref ${ref} not found in components.schemas`);
    return found;
  }

  /** Inlines references and drops `default`, walking only schema positions. */
  inline(schema: JsonObject, seen: readonly string[]): JsonObject {
    const ref = refTarget(schema);
    if (ref !== undefined) {
      if (seen.includes(ref)) throw new Error(`recursive $ref ${[...seen, ref].join(' -> ')}`);
      return this.inline(this.component(ref), [...seen, ref]);
    }
    if (schema.format === 'int-or-string') {
      return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'default') continue;
      if (key === 'properties' && isObject(value)) {
        const props: JsonObject = {};
        for (const [name, prop] of Object.entries(value)) {
          props[name] = isObject(prop) ? this.inline(prop, seen) : clone(prop);
        }
        out[key] = props;
      } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
        out[key] = this.inline(value, seen);
      } else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) {
        out[key] = value.map((entry) => (isObject(entry) ? this.inline(entry, seen) : clone(entry)));
      } else {
        out[key] = clone(value);
      }
    }
    return out;
  }
}

/** Nullable types (unless required or root) and `additionalProperties: false`, in place. */
function strictify(schema: JsonObject, nonNull: boolean): void {
  if (typeof schema.type === 'string' && schema.type !== 'null' && !nonNull) {
    schema.type = [schema.type, 'null'];
  }
  const required = Array.isArray(schema.required) ? schema.required : [];
  const props = schema.properties;
  if (isObject(props)) {
    for (const [name, prop] of Object.entries(props)) {
      if (isObject(prop)) strictify(prop, required.includes(name));
    }
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = schema[key];
    if (isObject(child)) strictify(child, false);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const entry of list) if (isObject(entry)) strictify(entry, false);
  }
  if (isObject(props) && !('additionalProperties' in schema)) schema.additionalProperties = false;
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

function groupVersionKind(schema: JsonObject, name: string): GroupVersionKind {
  const list = schema['x-kubernetes-group-version-kind'];
  const gvk = Array.isArray(list) && list.length === 1 ? list[0] : undefined;
  if (!isObject(gvk) || typeof gvk.group !== 'string' || typeof gvk.version !== 'string' || typeof gvk.kind !== 'string') {
    throw new Error(`${name} has no single x-kubernetes-group-version-kind`);
  }
  return { group: gvk.group, version: gvk.version, kind: gvk.kind };
}

export function toStandaloneStrict(components: JsonObject, name: string): { fileName: string; schema: JsonObject } {
  const source = components[name];
  if (!isObject(source)) throw new Error(`component ${name} not found`);
  const gvk = groupVersionKind(source, name);
  const schema = new Converter(components).inline(source, [REF_PREFIX + name]);
  strictify(schema, true);
  const props = schema.properties;
  if (!isObject(props) || !isObject(props.apiVersion) || !isObject(props.kind)) {
    throw new Error(`${name} has no apiVersion/kind properties`);
  }
  props.apiVersion.enum = [gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`];
  props.kind.enum = [gvk.kind];
  schema.$schema = SCHEMA_DIALECT;
  const group = gvk.group === '' ? '' : `-${gvk.group.split('.')[0]}`;
  return { fileName: `${gvk.kind}${group}-${gvk.version}.json`.toLowerCase(), schema };
}

/** JSON.stringify with two spaces, non-ASCII as \uXXXX (what Python's json.dumps writes). */
export function serialize(schema: JsonObject): string {
  return JSON.stringify(schema, null, 2).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function main(argv: readonly string[]): void {
  const [specPath, outDir, ...names] = argv;
  if (specPath === undefined || outDir === undefined || names.length === 0) {
    throw new Error('usage: openapi-to-strict-schema.ts <openapi-v3.json> <out-dir> <component>...');
  }
  const spec = JSON.parse(fs.readFileSync(specPath, 'utf8')) as Json;
  const components = isObject(spec) && isObject(spec.components) ? spec.components.schemas : undefined;
  if (!isObject(components)) throw new Error(`${specPath} has no components.schemas`);
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const { fileName, schema } = toStandaloneStrict(components, name);
    const target = path.join(outDir, fileName);
    fs.writeFileSync(target, serialize(schema));
    process.stdout.write(`${name} -> ${target}\n`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
