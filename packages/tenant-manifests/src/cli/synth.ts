/**
 * `npm run synth` for the GitOps tree: registry + platform config → deploy/.
 * `--check` writes nothing and exits 1 when the committed tree differs from a
 * fresh synthesis (the CI gate). A config other than the example must hold
 * no example value and the registry no other platform's tenant.
 */
import { ValidationError, hasWorkload, tenantImageReference } from '@openclaw-tenancy/shared';
import { synthesizeAll, writeDeployTree } from '../synthesis/deploy-tree';
import { assertDeployableWorkspace, configProvenance, usesExampleConfig } from './deployable-workspace';
import { openGitOpsWorkspace } from './gitops-workspace';

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const started = performance.now();
  const ws = openGitOpsWorkspace();
  const records = ws.registry.readAll();
  console.log(configProvenance(ws));
  if (!usesExampleConfig(ws) && ws.config.image.digest === undefined)
    console.warn(
      `warning: image.digest is not set: tenants run ${tenantImageReference(ws.config.image)}, which a push of the same tag could change; set it (docs/operations, step 6)`,
    );
  assertDeployableWorkspace(ws, records);
  const report = writeDeployTree(ws.repoRoot, synthesizeAll(records, ws.config), { check });
  const ms = Math.round(performance.now() - started);
  const offboarded = records.filter((r) => !hasWorkload(r)).length;
  const tenants = `${records.length} tenants${offboarded > 0 ? ` (${offboarded} offboarded: retained data only)` : ''}`;
  if (check) {
    const drift = [...report.written.map((p) => `  differs: ${p}`), ...report.removed.map((p) => `  not synthesized: ${p}`)];
    if (drift.length > 0) {
      console.error(`deploy/ is out of date with the registry and config (run \`npm run synth\` and commit):\n${drift.join('\n')}`);
      return 1;
    }
    console.log(`deploy/ is up to date: ${report.unchanged} files, ${tenants} (${ms} ms)`);
    return 0;
  }
  console.log(
    `synthesized ${tenants} + platform from ${ws.configPath}: ${report.written.length} written, ${report.unchanged} unchanged, ${report.removed.length} removed (${ms} ms)`,
  );
  for (const p of report.written) console.log(`  wrote ${p}`);
  for (const p of report.removed) console.log(`  removed ${p}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof ValidationError ? e.message : ((e as Error).stack ?? String(e)));
  process.exitCode = 1;
}
