/**
 * Strict schema validation of Kubernetes objects, the way `kubeconform -strict`
 * does it, in-process and offline: the vendored kubeconform-layout schemas
 * (`schemas/`) compiled with ajv. Built-in kinds use the standalone-strict
 * schemas (unknown fields rejected everywhere); CRD schemas are strict below the
 * top level only, so the top level and `metadata` are checked here too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

export const SCHEMA_DIR = path.resolve(__dirname, '../../schemas');
/** Kubernetes versions every manifest must validate against. */
export const VALIDATED_KUBERNETES_VERSIONS = ['1.29.0', '1.31.0'] as const;

/**
 * Kinds younger than the oldest validated version, with the Kubernetes minor
 * that introduced them: they are validated against the newer versions only.
 */
const KIND_INTRODUCED_IN: Readonly<Record<string, string>> = {
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy': '1.30.0',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding': '1.30.0',
};

const versionAtLeast = (version: string, minimum: string): boolean => {
  const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((a?.[i] ?? 0) !== (b?.[i] ?? 0)) return (a?.[i] ?? 0) > (b?.[i] ?? 0);
  return true;
};

export interface SchemaIssue {
  readonly object: string;
  readonly kubernetesVersion: string;
  readonly path: string;
  readonly message: string;
}

interface ObjectLike {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
  [key: string]: unknown;
}

/** The top-level keys a custom resource may have in Git; what the API server serves also has its `status`. */
const CRD_TOP_LEVEL_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
const SERVED_CRD_TOP_LEVEL_KEYS = [...CRD_TOP_LEVEL_KEYS, 'status'];

/** Where the object comes from: a manifest to apply, or the API server's answer (status included). */
export type ValidatedObjectOrigin = 'manifest' | 'api-server';

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | undefined>();
  private metadataValidator?: ValidateFunction;

  constructor(private readonly schemaDir: string = SCHEMA_DIR) {
    // strict:false because Kubernetes schemas carry x-kubernetes-* keywords; formats such as
    // int32/int64/byte are type-checked by the schema already, like kubeconform does.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  }

  /** Validates one object against the schema of every version in `versions`. */
  validate(
    object: unknown,
    versions: readonly string[] = VALIDATED_KUBERNETES_VERSIONS,
    origin: ValidatedObjectOrigin = 'manifest',
  ): SchemaIssue[] {
    const topLevelKeys = origin === 'api-server' ? SERVED_CRD_TOP_LEVEL_KEYS : CRD_TOP_LEVEL_KEYS;
    const obj = (object ?? {}) as ObjectLike;
    const label = describeObject(obj);
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return versions.map((v) => ({ object: label, kubernetesVersion: v, path: '', message: 'apiVersion and kind are required' }));
    }
    const issues: SchemaIssue[] = [];
    const introducedIn = KIND_INTRODUCED_IN[`${obj.apiVersion} ${obj.kind}`];
    for (const version of versions.filter((v) => introducedIn === undefined || versionAtLeast(v, introducedIn))) {
      const { file, crd } = this.schemaFile(obj.apiVersion, obj.kind, version);
      const validate = this.compile(file);
      if (!validate) {
        issues.push({
          object: label,
          kubernetesVersion: version,
          path: '',
          message: `no schema for ${obj.apiVersion} ${obj.kind} (${path.relative(this.schemaDir, file)}); unknown kinds are errors`,
        });
        continue;
      }
      if (!validate(obj)) issues.push(...toIssues(validate.errors ?? [], label, version));
      if (crd) {
        for (const key of Object.keys(obj)) {
          if (!topLevelKeys.includes(key))
            issues.push({ object: label, kubernetesVersion: version, path: `/${key}`, message: 'must NOT have additional properties' });
        }
        const meta = this.metadata();
        if (!meta({ metadata: obj.metadata })) issues.push(...toIssues(meta.errors ?? [], label, version));
      }
    }
    return issues;
  }

  private schemaFile(apiVersion: string, kind: string, version: string): { file: string; crd: boolean } {
    const [group, apiVer] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    const lowerKind = kind.toLowerCase();
    if (group === '' || !group.includes('.') || BUILTIN_K8S_IO_GROUPS.includes(group)) {
      const suffix = group === '' ? `-${apiVer}` : `-${group.split('.')[0]}-${apiVer}`;
      return { file: path.join(this.schemaDir, `v${version}-standalone-strict`, `${lowerKind}${suffix}.json`), crd: false };
    }
    return { file: path.join(this.schemaDir, 'crds', group, `${lowerKind}_${apiVer}.json`), crd: true };
  }

  private compile(file: string): ValidateFunction | undefined {
    if (!this.compiled.has(file)) {
      this.compiled.set(file, fs.existsSync(file) ? this.ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object) : undefined);
    }
    return this.compiled.get(file);
  }

  /** ObjectMeta, strict, borrowed from a built-in schema: CRD schemas do not check metadata at all. */
  private metadata(): ValidateFunction {
    if (!this.metadataValidator) {
      const configMap = JSON.parse(
        fs.readFileSync(path.join(this.schemaDir, `v${VALIDATED_KUBERNETES_VERSIONS[1]}-standalone-strict`, 'configmap-v1.json'), 'utf8'),
      ) as { properties: { metadata: object } };
      this.metadataValidator = this.ajv.compile({
        type: 'object',
        properties: { metadata: configMap.properties.metadata },
        required: ['metadata'],
      });
    }
    return this.metadataValidator;
  }
}

/** API groups ending in .k8s.io that are built into Kubernetes (their schemas live with the built-ins). */
const BUILTIN_K8S_IO_GROUPS = [
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

function describeObject(obj: ObjectLike): string {
  const ns = typeof obj.metadata?.namespace === 'string' ? `${obj.metadata.namespace}/` : '';
  const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '<unnamed>';
  return `${String(obj.kind ?? '<no kind>')} ${ns}${name}`;
}

function toIssues(errors: readonly ErrorObject[], label: string, version: string): SchemaIssue[] {
  return (
    errors
      // oneOf/anyOf parents repeat what their branches already said.
      .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf')
      .map((e) => ({
        object: label,
        kubernetesVersion: version,
        path: e.instancePath || '/',
        message:
          e.keyword === 'additionalProperties'
            ? `unknown field "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`
            : (e.message ?? e.keyword),
      }))
  );
}
