/**
 * `nx run tenant-manifests:validate`: blocks on any schema issue, policy
 * finding or drift between the committed deploy/ tree and a fresh synthesis.
 */
import { ValidationError } from '@openclaw-tenancy/shared';
import { synthesizeAll, writeDeployTree } from '../synthesis/deploy-tree';
import { VALIDATED_KUBERNETES_VERSIONS } from '../validation/schema-validator';
import { validateDeployTree } from '../validation/deploy-tree-validation';
import { openGitOpsWorkspace } from './gitops-workspace';

function main(): number {
  const started = performance.now();
  const ws = openGitOpsWorkspace();
  const drift = writeDeployTree(ws.repoRoot, synthesizeAll(ws.registry.readAll(), ws.config), { check: true });
  const result = validateDeployTree(ws.repoRoot, { vpcCidr: ws.config.network.vpcCidr, serviceCidr: ws.config.network.serviceIpv4Cidr });
  const problems = [
    ...result.parseErrors.map((p) => `${p.file}: not valid YAML: ${p.message}`),
    ...result.schemaIssues.map((i) => `${i.file}: ${i.object} (k8s ${i.kubernetesVersion}) ${i.path}: ${i.message}`),
    ...result.policyFindings.map((f) => `${f.file}: [${f.control}] ${f.object}: ${f.message}`),
    ...drift.written.map((p) => `${p}: differs from a fresh synthesis (run \`npm run synth\` and commit)`),
    ...drift.removed.map((p) => `${p}: not produced by synthesis (run \`npm run synth\` and commit)`),
  ];
  const ms = Math.round(performance.now() - started);
  if (problems.length > 0) {
    console.error(`validation failed (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  console.log(
    `validated ${result.objects} objects in ${result.files} files against Kubernetes ${VALIDATED_KUBERNETES_VERSIONS.join(' and ')} (strict), the tenant policy controls, Argo CD's project rules and the admission policies; deploy/ matches a fresh synthesis (${ms} ms)`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof ValidationError ? e.message : ((e as Error).stack ?? String(e)));
  process.exitCode = 1;
}
