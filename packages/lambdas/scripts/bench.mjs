// `nx run lambdas:bench`: bundle size and module init time per function, and
// PostConfirmation handler latency against dynalite + cognito-local.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { FUNCTIONS, PACKAGE_ROOT, bundle } from './bundles.mjs';

const SIZE_GOAL_KB = 250;
const INIT_GOAL_MS = 100;
const INIT_RUNS = 5;

function initTimeMs(file) {
  // A fresh process per run: what a cold start pays for loading the module.
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs = [];
  for (let i = 0; i < INIT_RUNS; i++) runs.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
}

function topInputs(metafile, n = 3) {
  const byPackage = new Map();
  for (const [file, info] of Object.entries(metafile.outputs).flatMap(([, o]) => Object.entries(o.inputs))) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : file.includes('packages/') ? file.split('/').slice(0, 3).join('/') : 'other';
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}K`).join(', ');
}

const rows = [];
for (const fn of FUNCTIONS) {
  const built = await bundle(fn, path.join(PACKAGE_ROOT, 'dist', 'bench'));
  rows.push({ fn, kb: built.bytes / 1024, initMs: initTimeMs(built.outfile), top: topInputs(built.metafile) });
}

console.log('\nfunction            bundle KB (goal ≤ 250)   init ms (goal ≤ 100, median of 5)   largest inputs');
for (const r of rows) {
  const size = `${r.kb.toFixed(1)}${r.kb > SIZE_GOAL_KB ? ' OVER' : ''}`;
  const init = `${r.initMs.toFixed(1)}${r.initMs > INIT_GOAL_MS ? ' OVER' : ''}`;
  console.log(`${r.fn.padEnd(20)}${size.padStart(12)}${init.padStart(26)}                    ${r.top}`);
}

console.log('\nPostConfirmation handler latency against dynalite + cognito-local (goal p99 ≤ 300 ms):');
execFileSync(process.execPath, [path.join(PACKAGE_ROOT, '../../node_modules/tsx/dist/cli.mjs'), path.join(PACKAGE_ROOT, 'scripts', 'post-confirmation-latency.ts')], {
  stdio: 'inherit',
  cwd: PACKAGE_ROOT,
});
