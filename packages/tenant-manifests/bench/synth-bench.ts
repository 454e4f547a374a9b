/**
 * `nx run tenant-manifests:bench`: synthesis cost per tenant at 100 / 1,000 /
 * 5,000 tenants, peak memory, the ratio to serializing the same objects with
 * the yaml package directly, and the cost of adding one tenant to 5,000.
 * Each size runs in its own process so peak RSS is that size's alone.
 * Goals: ≤ 1.5× plain serialization, linear, add-one ≤ 1 s touching one folder.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlatformConfig, TenantRecord, newTenantRecord } from '@openclaw-tenancy/shared';
import { stringify } from 'yaml';
import {
  EXAMPLE_PLATFORM_CONFIG,
  TenantRegistry,
  loadPlatformConfigFile,
  syncTenantFolder,
  synthesizeAll,
  synthesizeTenantObjects,
  writeDeployTree,
} from '../src';
import { GENERATED_HEADER } from '../src/synthesis/manifest-yaml';

const SIZES = [100, 1000, 5000];

interface SizeResult {
  tenants: number;
  synthMsPerTenant: number;
  yamlOnlyMsPerTenant: number;
  ratio: number;
  writeTreeMs: number;
  peakRssMiB: number;
  addOneMs?: number;
  addOneTouched?: string[];
  addOneFullResynthMs?: number;
  addOneFullResynthTouched?: number;
}

function records(n: number): TenantRecord[] {
  const tiers = ['standard', 'large'] as const;
  const runtimes = ['runc', 'gvisor'] as const;
  return Array.from({ length: n }, (_, i) =>
    newTenantRecord({
      id: `tenant-${String(i).padStart(5, '0')}`,
      owner: `owner-${i}-0000-4000-8000`,
      tier: tiers[i % 2]!,
      runtime: runtimes[(i >> 1) % 2]!,
      createdAt: new Date(Date.UTC(2026, 10, 1)),
    }),
  );
}

function measure(n: number, config: PlatformConfig): SizeResult {
  const list = records(n);
  // Warm up module loading and JIT on a few tenants so small sizes are not dominated by it.
  for (const r of list.slice(0, 20)) synthesizeTenantObjects(r, config);
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-bench-'));
  try {
    // 1. What `npm run synth` does: stream every tenant into deploy/ (peak memory is taken here).
    let t = performance.now();
    writeDeployTree(repo, synthesizeAll(list, config));
    const writeTreeMs = performance.now() - t;
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;

    // 2. Synthesis to YAML text in memory: cdk8s constructs, toJson, emit.
    t = performance.now();
    let synthBytes = 0;
    for (const file of synthesizeAll(list, config)) synthBytes += file.content.length;
    const synthMs = performance.now() - t;

    // 3. Baseline: the same objects, already built, serialized with the yaml package directly.
    const objects = list.map((r) => synthesizeTenantObjects(r, config));
    t = performance.now();
    let yamlBytes = 0;
    for (const docs of objects) yamlBytes += (GENERATED_HEADER + docs.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('')).length;
    const yamlMs = performance.now() - t;
    if (synthBytes === 0 || yamlBytes === 0) throw new Error('nothing serialized');

    const result: SizeResult = {
      tenants: n,
      synthMsPerTenant: synthMs / n,
      yamlOnlyMsPerTenant: yamlMs / n,
      ratio: synthMs / yamlMs,
      writeTreeMs,
      peakRssMiB,
    };
    if (n === SIZES[SIZES.length - 1]) {
      const registry = new TenantRegistry(repo);
      const extra = newTenantRecord({
        id: 'tenant-new',
        owner: 'owner-new-0000-4000-8000',
        tier: 'standard',
        runtime: 'runc',
        createdAt: new Date(),
      });
      // The O(1) path (CLI, provisioner): write the registry file and sync one folder.
      t = performance.now();
      registry.write(extra);
      const change = syncTenantFolder(repo, extra, config);
      result.addOneMs = performance.now() - t;
      result.addOneTouched = ['tenants/tenant-new.yaml', ...change.written, ...change.removed];
      // The full path (CI re-synthesis): everything re-synthesized and compared, only the new folder written.
      fs.rmSync(path.join(repo, 'deploy/tenants/tenant-new'), { recursive: true });
      t = performance.now();
      const report = writeDeployTree(repo, synthesizeAll([...list, extra], config));
      result.addOneFullResynthMs = performance.now() - t;
      result.addOneFullResynthTouched = report.written.length + report.removed.length;
    }
    return result;
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

function main(): void {
  const config = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
  const sizeArg = process.argv.indexOf('--size');
  if (sizeArg > 0) {
    process.stdout.write(JSON.stringify(measure(Number(process.argv[sizeArg + 1]), config)));
    return;
  }
  const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
  const results: SizeResult[] = [];
  for (const n of SIZES) {
    const run = spawnSync(tsx, [__filename, '--size', String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`bench for ${n} tenants failed:\n${run.stderr}`);
    results.push(JSON.parse(run.stdout) as SizeResult);
  }
  const f = (x: number, d = 2) => x.toFixed(d);
  console.log(
    `tenant-manifests synthesis benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  console.log('| tenants | synth ms/tenant | yaml pkg only ms/tenant | ratio | synth + write deploy/ | peak RSS (streaming synth) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.tenants} | ${f(r.synthMsPerTenant)} | ${f(r.yamlOnlyMsPerTenant)} | ${f(r.ratio)}× | ${f(r.writeTreeMs / 1000)} s | ${f(r.peakRssMiB, 0)} MiB |`,
    );
  const first = results[0]!;
  const last = results[results.length - 1]!;
  console.log(
    `\nlinearity: ms/tenant at ${last.tenants} ÷ at ${first.tenants} = ${f(last.synthMsPerTenant / first.synthMsPerTenant)} (1.00 = perfectly linear)`,
  );
  console.log(`add one tenant to ${last.tenants}: ${f(last.addOneMs ?? NaN, 1)} ms, touched ${last.addOneTouched?.join(', ')}`);
  console.log(
    `add one tenant by full re-synthesis of ${last.tenants + 1}: ${f((last.addOneFullResynthMs ?? NaN) / 1000)} s, ${last.addOneFullResynthTouched} file(s) written`,
  );
  const worst = Math.max(...results.map((r) => r.ratio));
  console.log(
    `\ngoals: ratio ≤ 1.5× → ${worst <= 1.5 ? 'met' : 'MISSED'} (worst ${f(worst)}×); add-one ≤ 1 s → ${(last.addOneMs ?? Infinity) <= 1000 ? 'met' : 'MISSED'}; one folder touched → ${last.addOneFullResynthTouched === 1 ? 'met' : 'MISSED'}`,
  );
}

main();
