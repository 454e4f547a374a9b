/**
 * Each tenant's AppProject, and how Argo CD stamps it.
 *
 * The AppProject that confines a tenant Application must not come from the
 * branch the provisioner's Git credential writes. So it is one template in
 * `deploy/platform/tenant-project/` (read at the pinned platform revision)
 * that a platform-owned ApplicationSet stamps once per tenant folder, with
 * inline kustomize JSON6902 patches that put the folder name into exactly
 * the fields below. A folder can only ever obtain the project named after
 * itself, confined to the namespace named after itself.
 */
import { App, Chart } from 'cdk8s';
import {
  GIT_PATHS,
  MANAGED_BY,
  PART_OF,
  PLATFORM_NAMES,
  RESERVED_TENANT_IDS,
  RESERVED_TENANT_ID_PREFIXES,
  TENANT_LABEL,
  TenantNames,
  tenantNames,
} from '@openclaw-tenancy/shared';
import { IN_CLUSTER } from '../argocd/app-project-rules';
import { AppProject } from '../imports/appprojects-argoproj.io';
import { KubeObject } from '../synthesis/manifest-yaml';
import { TENANT_CLUSTER_KIND, TENANT_NAMESPACED_KINDS } from './tenant-kinds';

/** The tenant id the template is written for; every occurrence is patched per folder. */
export const TEMPLATE_TENANT_ID = 'template';
/** The folder name as the ApplicationSet's git directory generator passes it. */
export const FOLDER_NAME_PARAM = '{{.path.basename}}';

/**
 * Folder patterns (Go `path.Match`, as the git directory generator matches
 * them) that never become a tenant: every reserved id and reserved prefix.
 * `deploy/tenants/edge/` would otherwise get a project for `openclaw-edge`,
 * the platform's edge namespace.
 */
export const EXCLUDED_TENANT_FOLDERS: readonly string[] = [
  ...RESERVED_TENANT_IDS.map((id) => `${GIT_PATHS.tenantsDeployDir}/${id}`),
  ...RESERVED_TENANT_ID_PREFIXES.map((prefix) => `${GIT_PATHS.tenantsDeployDir}/${prefix}*`),
];

/** File names inside `deploy/platform/tenant-project/`. */
export const TENANT_PROJECT_FILES = { appProject: 'app-project.yaml', kustomization: 'kustomization.yaml' } as const;

/** A name for the tenant of the folder being generated: the template id's name with the folder parameter in its place. */
export function templatedName(pick: (names: TenantNames) => string): string {
  return substituteTemplateId(pick(tenantNames(TEMPLATE_TENANT_ID)));
}

function substituteTemplateId(value: string): string {
  const parts = value.split(TEMPLATE_TENANT_ID);
  if (parts.length !== 2) throw new Error(`"${value}" must contain the template tenant id "${TEMPLATE_TENANT_ID}" exactly once`);
  return parts.join(FOLDER_NAME_PARAM);
}

/** The AppProject of one tenant (the template is this for {@link TEMPLATE_TENANT_ID}). */
export function tenantAppProjectObject(names: TenantNames, repoUrl: string): KubeObject {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'tenant-project', { disableResourceNameHashes: true });
  new AppProject(chart, 'Project', {
    metadata: {
      name: names.argoProject,
      namespace: PLATFORM_NAMES.argoCdNamespace,
      labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': MANAGED_BY, [TENANT_LABEL]: names.tenantId },
    },
    spec: {
      description: 'One OpenClaw tenant: its own namespace, the tenant kinds, nothing cluster-wide besides that Namespace.',
      sourceRepos: [repoUrl],
      destinations: [{ server: IN_CLUSTER.server, namespace: names.namespace }],
      clusterResourceWhitelist: [{ ...TENANT_CLUSTER_KIND, name: names.namespace }],
      namespaceResourceWhitelist: TENANT_NAMESPACED_KINDS.map((k) => ({ group: k.group, kind: k.kind })),
    },
  });
  const [project] = chart.toJson() as KubeObject[];
  return project as KubeObject;
}

/** JSON pointers of every field of the template that holds the tenant id. */
const TENANT_FIELDS = [
  '/metadata/name',
  `/metadata/labels/${TENANT_LABEL.replace(/~/g, '~0').replace(/\//g, '~1')}`,
  '/spec/destinations/0/namespace',
  '/spec/clusterResourceWhitelist/0/name',
] as const;

function readPointer(object: unknown, pointer: string): unknown {
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token], object);
}

/**
 * The inline kustomize patch (RFC 6902, as YAML) the projects ApplicationSet
 * applies to the template for each folder. Throws if the template grew a
 * field holding the tenant id that the patch would miss.
 */
export function tenantProjectPatch(template: KubeObject): string {
  const text = JSON.stringify(template);
  const occurrences = text.split(TEMPLATE_TENANT_ID).length - 1;
  const patched = TENANT_FIELDS.map((p) => {
    const value = readPointer(template, p);
    if (typeof value !== 'string') throw new Error(`template field ${p} is missing`);
    return { op: 'replace', path: p, value: substituteTemplateId(value) };
  });
  if (occurrences !== patched.length)
    throw new Error(`the tenant project template holds the tenant id ${occurrences} times, the patch replaces ${patched.length}`);
  // Quoted: a value such as `{{.path.basename}}` would otherwise read as a YAML flow mapping.
  return patched.map((op) => `- op: ${op.op}\n  path: ${JSON.stringify(op.path)}\n  value: ${JSON.stringify(op.value)}\n`).join('');
}

/** `deploy/platform/tenant-project/`: the template and the kustomization that makes it a kustomize source. */
export function tenantProjectTemplateFiles(repoUrl: string): { readonly template: KubeObject; readonly kustomization: string } {
  return {
    template: tenantAppProjectObject(tenantNames(TEMPLATE_TENANT_ID), repoUrl),
    kustomization: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${TENANT_PROJECT_FILES.appProject}\n`,
  };
}
