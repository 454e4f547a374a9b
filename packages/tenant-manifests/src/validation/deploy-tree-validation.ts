/**
 * Blocking validation of a `deploy/` tree: every document against the strict
 * schemas of every validated Kubernetes version, and every tenant folder
 * against the tenant policy controls.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIT_PATHS } from '@openclaw-tenancy/shared';
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

export function validateDeployTree(repoRoot: string, vpcCidr: string, validator = new SchemaValidator()): DeployTreeValidation {
  const result = { files: 0, objects: 0, schemaIssues: [] as (SchemaIssue & { file: string })[], policyFindings: [] as (PolicyFinding & { file: string })[], parseErrors: [] as { file: string; message: string }[] };
  const deployRoot = path.join(repoRoot, 'deploy');
  for (const file of yamlFiles(deployRoot)) {
    const rel = path.relative(repoRoot, file).split(path.sep).join('/');
    result.files++;
    let objects: KubeObject[];
    try {
      objects = parseManifestText(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      result.parseErrors.push({ file: rel, message: (e as Error).message });
      continue;
    }
    result.objects += objects.length;
    for (const o of objects) for (const issue of validator.validate(o)) result.schemaIssues.push({ ...issue, file: rel });
    const tenantDir = `${GIT_PATHS.tenantsDeployDir}/`;
    if (rel.startsWith(tenantDir)) {
      const tenantId = rel.slice(tenantDir.length).split('/')[0] ?? '';
      for (const f of checkTenantPolicies(objects, { tenantId, vpcCidr })) result.policyFindings.push({ ...f, file: rel });
    }
  }
  return result;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}
