/**
 * What Argo CD makes of our GitOps objects, for the parts that decide
 * containment: the Application an ApplicationSet's git directory generator
 * renders for one folder, the objects a kustomize source with inline JSON6902
 * patches yields, and the AppProject verdict on every object an Application
 * would apply. The local platform's reconciler and the confinement tests both
 * use it, so what they accept is what Argo CD would accept.
 */
import { parse as parseYaml } from 'yaml';
import { goFilepathMatch } from './glob-patterns';
import { IN_CLUSTER, AppProjectSpecRules, isDestinationPermitted, isResourcePermitted, isSourcePermitted } from './app-project-rules';

type Json = Record<string, unknown>;

/** The generator parameters of one directory (`{{.path.path}}`, `{{.path.basename}}`). */
export interface DirectoryParams {
  readonly path: string;
  readonly basename: string;
}

/** The directories a git directory generator yields from `allDirs` (`filterApps`: Go `path.Match`, exclusions win). */
export function generatedDirectories(applicationSet: Json, allDirs: readonly string[]): string[] {
  const generators = ((applicationSet.spec as Json | undefined)?.generators ?? []) as Json[];
  const items = generators.flatMap((g) => ((g.git as Json | undefined)?.directories ?? []) as { path: string; exclude?: boolean }[]);
  return allDirs.filter(
    (dir) => items.some((i) => !i.exclude && goFilepathMatch(i.path, dir)) && !items.some((i) => i.exclude && goFilepathMatch(i.path, dir)),
  );
}

export function directoryParams(dirPath: string): DirectoryParams {
  const parts = dirPath.split('/');
  return { path: dirPath, basename: parts[parts.length - 1] ?? '' };
}

const TEMPLATE_ACTION = /\{\{-?\s*([^}]*?)\s*-?\}\}/g;

/**
 * Go-template rendering of one string as the ApplicationSet controller does
 * with `goTemplate: true` and `missingkey=error`, for the only actions our
 * templates use (`.path.path`, `.path.basename`); anything else is refused
 * rather than guessed at.
 */
export function renderTemplateString(template: string, params: DirectoryParams): string {
  return template.replace(TEMPLATE_ACTION, (_match, action: string) => {
    if (action === '.path.path') return params.path;
    if (action === '.path.basename') return params.basename;
    throw new Error(`unsupported template action {{${action}}}`);
  });
}

function renderDeep(value: unknown, params: DirectoryParams): unknown {
  if (typeof value === 'string') return renderTemplateString(value, params);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, params));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, params)]));
  return value;
}

/** The Application an ApplicationSet (git directory generator, goTemplate) makes for one directory. */
export function renderApplication(applicationSet: Json, params: DirectoryParams): Json {
  const template = ((applicationSet.spec as Json | undefined)?.template ?? {}) as Json;
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...(renderDeep(template, params) as Json) };
}

interface PatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

function pointer(path: string): string[] {
  if (!path.startsWith('/')) throw new Error(`JSON pointer "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 `replace` and `add` (what our patches use); other operations are refused. */
function applyJsonPatch(target: Json, ops: readonly PatchOperation[]): Json {
  const doc = structuredClone(target);
  for (const op of ops) {
    const tokens = pointer(op.path);
    const last = tokens.pop() as string;
    let parent: unknown = doc;
    for (const t of tokens) {
      parent = Array.isArray(parent) ? parent[Number(t)] : (parent as Json | undefined)?.[t];
      if (parent === undefined || parent === null || typeof parent !== 'object') throw new Error(`path ${op.path} does not exist`);
    }
    const container = parent as Json | unknown[];
    if (op.op === 'replace') {
      const exists = Array.isArray(container) ? Number(last) < container.length : Object.prototype.hasOwnProperty.call(container, last);
      if (!exists) throw new Error(`replace: path ${op.path} does not exist`);
    } else if (op.op !== 'add') throw new Error(`patch operation "${op.op}" is not supported`);
    if (Array.isArray(container)) container[Number(last)] = op.value;
    else container[last] = op.value;
  }
  return doc;
}

interface KustomizePatch {
  readonly patch: string;
  readonly target: {
    readonly group?: string;
    readonly version?: string;
    readonly kind?: string;
    readonly name?: string;
    readonly namespace?: string;
  };
}

/** The objects of a kustomize source after the Application's inline `kustomize.patches` (JSON6902 form). */
export function applyKustomizePatches(objects: readonly Json[], patches: readonly KustomizePatch[]): Json[] {
  return objects.map((object) => {
    const [group, version] = String(object.apiVersion).includes('/')
      ? String(object.apiVersion).split('/')
      : ['', String(object.apiVersion)];
    const meta = (object.metadata ?? {}) as Json;
    let out = object;
    for (const p of patches) {
      const t = p.target;
      const hit =
        (t.group === undefined || t.group === group) &&
        (t.version === undefined || t.version === version) &&
        (t.kind === undefined || t.kind === object.kind) &&
        (t.name === undefined || t.name === meta.name) &&
        (t.namespace === undefined || t.namespace === meta.namespace);
      if (hit) out = applyJsonPatch(out, parseYaml(p.patch) as PatchOperation[]);
    }
    return out;
  });
}

/** Built-in kinds that are not namespaced (Argo CD learns this from API discovery). */
const CLUSTER_SCOPED_KINDS = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'gateway.networking.k8s.io/GatewayClass',
  'networking.k8s.io/IngressClass',
]);

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
}

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(`${groupOf(apiVersion)}/${kind}`);
}

export interface ArgoRefusal {
  readonly object: string;
  readonly reason: string;
}

/**
 * Everything Argo CD would refuse when syncing `application` (in `project`)
 * with `objects`: the Application's own source and destination, then each
 * object by kind, name and namespace (a namespaced object without a namespace
 * lands in the destination namespace).
 */
export function argoProjectRefusals(project: AppProjectSpecRules, application: Json, objects: readonly Json[]): ArgoRefusal[] {
  const spec = (application.spec ?? {}) as Json;
  const destination = (spec.destination ?? {}) as Json;
  const destNamespace = String(destination.namespace ?? '');
  const source = (spec.source ?? {}) as Json;
  const refusals: ArgoRefusal[] = [];
  const appName = `Application ${String((application.metadata as Json | undefined)?.name)}`;
  if (destination.server !== IN_CLUSTER.server)
    refusals.push({ object: appName, reason: `destination server ${String(destination.server)} is not the in-cluster server` });
  else if (!isDestinationPermitted(project, IN_CLUSTER, destNamespace))
    refusals.push({ object: appName, reason: `destination namespace "${destNamespace}" is not permitted in the project` });
  if (!isSourcePermitted(project, String(source.repoURL ?? '')))
    refusals.push({ object: appName, reason: `source ${String(source.repoURL)} is not permitted in the project` });
  for (const o of objects) {
    const apiVersion = String(o.apiVersion ?? '');
    const kind = String(o.kind ?? '');
    const meta = (o.metadata ?? {}) as Json;
    const name = String(meta.name ?? '');
    const namespace = isClusterScoped(apiVersion, kind) ? '' : String(meta.namespace ?? destNamespace);
    if (!isResourcePermitted(project, { group: groupOf(apiVersion), kind }, name, namespace)) {
      refusals.push({
        object: `${kind} ${namespace ? `${namespace}/` : ''}${name}`,
        reason: `resource ${apiVersion} ${kind} "${name}"${namespace ? ` in namespace "${namespace}"` : ''} is not permitted in the project`,
      });
    }
  }
  return refusals;
}
