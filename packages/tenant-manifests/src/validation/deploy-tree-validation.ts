/**
 * Blocking validation of a `deploy/` tree: every document against the strict
 * schemas of every validated Kubernetes version, and every tenant folder
 * against the tenant policy controls, Argo CD's AppProject rules and the
 * admission policies, all as committed in the tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIT_PATHS, tenantNames } from '@openclaw-tenancy/shared';
import { AdmissionEvaluator } from '../admission/admission-evaluator';
import { argoApplyRequests } from '../admission/argo-apply-requests';
import { TenantAdmissionPolicySet } from '../admission/tenant-admission-policies';
import { tenantApplicationRefusals, tenantArgoView } from '../argocd/tenant-confinement';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../synthesis/manifest-yaml';
import { SchemaIssue, SchemaValidator } from './schema-validator';
import { PolicyFinding, checkTenantPolicies } from './tenant-policies';

export interface DeployTreeValidation {
  readonly files: number;
  readonly objects: number;
  readonly schemaIssues: readonly (SchemaIssue & { file: string })[];
  readonly policyFindings: readonly (PolicyFinding & { file: string })[];
  readonly parseErrors: readonly { file: string; message: string }[];
}

export function parseManifestText(text: string): KubeObject[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: KubeObject[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new Error(doc.errors[0]?.message.split('\n')[0]);
    const value = doc.toJS() as KubeObject | null;
    if (value !== null) objects.push(value);
  }
  return objects;
}

export function validateDeployTree(
  repoRoot: string,
  network: { readonly vpcCidr: string; readonly serviceCidr: string },
  validator = new SchemaValidator(),
): DeployTreeValidation {
  const result = {
    files: 0,
    objects: 0,
    schemaIssues: [] as (SchemaIssue & { file: string })[],
    policyFindings: [] as (PolicyFinding & { file: string })[],
    parseErrors: [] as { file: string; message: string }[],
  };
  const deployRoot = path.join(repoRoot, 'deploy');
  const parsed: { rel: string; objects: KubeObject[] }[] = [];
  for (const file of yamlFiles(deployRoot)) {
    const rel = path.relative(repoRoot, file).split(path.sep).join('/');
    result.files++;
    try {
      parsed.push({ rel, objects: parseManifestText(fs.readFileSync(file, 'utf8')) });
    } catch (e) {
      result.parseErrors.push({ file: rel, message: (e as Error).message });
    }
  }
  // The cluster's two fences, read from the committed platform files: Argo CD's projects and the admission policies.
  const platformObjects = parsed
    .filter((p) => p.rel.startsWith(`${GIT_PATHS.platformDeployDir}/`))
    .flatMap((p) => p.objects) as unknown as Json[];
  const templateObjects = parsed
    .filter((p) => p.rel.startsWith(`${GIT_PATHS.tenantProjectTemplateDir}/`))
    .flatMap((p) => p.objects) as unknown as Json[];
  const admission = new AdmissionEvaluator({
    policies: platformObjects.filter((o) => o.kind === 'ValidatingAdmissionPolicy') as unknown as TenantAdmissionPolicySet['policies'],
    bindings: platformObjects.filter(
      (o) => o.kind === 'ValidatingAdmissionPolicyBinding',
    ) as unknown as TenantAdmissionPolicySet['bindings'],
  });
  const tenantDir = `${GIT_PATHS.tenantsDeployDir}/`;
  for (const { rel, objects } of parsed) {
    result.objects += objects.length;
    for (const o of objects) for (const issue of validator.validate(o)) result.schemaIssues.push({ ...issue, file: rel });
    if (!rel.startsWith(tenantDir)) continue;
    const tenantId = rel.slice(tenantDir.length).split('/')[0] ?? '';
    for (const f of checkTenantPolicies(objects, { tenantId, ...network })) result.policyFindings.push({ ...f, file: rel });
    for (const f of fenceFindings(platformObjects, templateObjects, admission, tenantId, objects as unknown as Json[]))
      result.policyFindings.push({ ...f, file: rel });
  }
  return result;
}

type Json = Record<string, unknown>;

/** What Argo CD (the tenant's AppProject) and the API server (the admission policies) would refuse of one tenant folder. */
function fenceFindings(
  platformObjects: Json[],
  templateObjects: Json[],
  admission: AdmissionEvaluator,
  tenantId: string,
  objects: Json[],
): PolicyFinding[] {
  let view;
  try {
    view = tenantArgoView(platformObjects, templateObjects, tenantId);
  } catch (e) {
    return [{ control: 'ARGOCD-PROJECT', object: tenantId, message: (e as Error).message }];
  }
  if (!view)
    return [{ control: 'ARGOCD-PROJECT', object: tenantId, message: 'the ApplicationSets do not generate this folder (a reserved name)' }];
  const findings: PolicyFinding[] = tenantApplicationRefusals(view, objects).map((r) => ({
    control: 'ARGOCD-PROJECT',
    object: r.object,
    message: r.reason,
  }));
  const names = tenantNames(tenantId);
  for (const request of argoApplyRequests(objects, { application: names.argoApplication, destinationNamespace: names.namespace })) {
    const meta = request.object.metadata as Json;
    for (const d of admission.admit(request))
      findings.push({ control: d.policy, object: `${String(request.object.kind)} ${String(meta.name)}`, message: d.message });
  }
  return findings;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    // kustomization.yaml configures kustomize (the tenant project template); it is not a Kubernetes object.
    else if (/\.ya?ml$/.test(entry.name) && entry.name !== 'kustomization.yaml') out.push(full);
  }
  return out;
}
