/**
 * `nx run aws-infra:bench`: how long the whole platform takes to synthesize
 * with and without cdk-nag (bundling and CloudFormation validation on, as in
 * `cdk synth`), and how large each Lambda bundle is. Results are printed and
 * written to <repo>/bench-results/aws-infra.json.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { App } from 'aws-cdk-lib';
import { PLATFORM_FUNCTIONS, PlatformConfig } from '@openclaw-tenancy/shared';
import { BENCH_RESULTS_DIR, EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { addAwsSolutionsChecks, createPlatform } from '../src';

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function context(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return {
    ...cdkJson.context,
    ...(JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'cdk.context.json'), 'utf8')) as Record<string, unknown>),
  };
}

function synthOnce(config: PlatformConfig, nag: boolean, outdir: string): number {
  const started = process.hrtime.bigint();
  const app = new App({ context: { ...context(), 'aws:cdk:enable-asset-metadata': true }, outdir });
  if (nag) addAwsSolutionsChecks(app);
  createPlatform(app, config);
  app.synth();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function stats(samples: number[]): { mean: number; min: number; max: number } {
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, min: Math.min(...samples), max: Math.max(...samples) };
}

function bundleSizes(outdir: string): Record<string, { bundleBytes: number; gzipBytes: number; sourceMapBytes: number }> {
  interface TemplateResource {
    readonly Type: string;
    readonly Properties: { readonly FunctionName?: string };
    readonly Metadata?: Record<string, string>;
  }
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ControlPlane.template.json'), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const sizes: Record<string, { bundleBytes: number; gzipBytes: number; sourceMapBytes: number }> = {};
  for (const fn of PLATFORM_FUNCTIONS) {
    const resource = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === `openclaw-${fn}`,
    );
    const assetPath = resource?.Metadata?.['aws:asset:path'];
    if (!assetPath) throw new Error(`no bundled asset found for openclaw-${fn} in ${outdir}`);
    const assetDir = path.join(outdir, assetPath);
    const bundle = fs.readFileSync(path.join(assetDir, 'index.js'));
    sizes[fn] = {
      bundleBytes: bundle.length,
      gzipBytes: gzipSync(bundle).length,
      sourceMapBytes: fs.statSync(path.join(assetDir, 'index.js.map')).size,
    };
  }
  return sizes;
}

function cliSynthSeconds(): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-infra-bench-cli-'));
  const started = process.hrtime.bigint();
  const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outdir], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`cdk synth failed:\n${result.stderr}`);
  return seconds;
}

function main(): void {
  const config = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-infra-bench-'));
  const timings: Record<string, number[]> = { withNag: [], withoutNag: [] };
  // The first synthesis in a process also pays for loading aws-cdk-lib; keep it out of both series.
  synthOnce(config, true, path.join(work, 'warm-up'));
  // Alternate the modes so machine load affects both alike.
  for (let i = 0; i < RUNS; i++) {
    timings.withoutNag!.push(synthOnce(config, false, path.join(work, `plain-${i}`)));
    timings.withNag!.push(synthOnce(config, true, path.join(work, `nag-${i}`)));
  }
  const sizes = bundleSizes(path.join(work, 'nag-0'));
  const cli = cliSynthSeconds();
  fs.rmSync(work, { recursive: true, force: true });

  const result = {
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), node: process.version },
    runs: RUNS,
    inProcessSynthSeconds: { withNag: stats(timings.withNag!), withoutNag: stats(timings.withoutNag!) },
    cdkCliSynthSeconds: cli,
    lambdaBundles: sizes,
  };
  const fmt = (s: { mean: number; min: number; max: number }) =>
    `${s.mean.toFixed(2)} s (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`;
  process.stdout.write(
    [
      `Synthesis of the whole platform (8 stacks, bundling and CloudFormation validation on), ${RUNS} runs, ${result.machine.cpus} CPUs, load ${result.machine.loadAverage.join(' ')}:`,
      `  without cdk-nag: ${fmt(result.inProcessSynthSeconds.withoutNag)}`,
      `  with cdk-nag:    ${fmt(result.inProcessSynthSeconds.withNag)}`,
      `  npx cdk synth (CLI + tsx + nag, end to end): ${cli.toFixed(2)} s`,
      'Lambda bundles (packages/lambdas/bundling.json: minified, the SDK bundled, only its credential providers external):',
      ...Object.entries(sizes).map(
        ([fn, s]) =>
          `  ${fn.padEnd(18)} ${(s.bundleBytes / 1024).toFixed(1).padStart(7)} KiB (gzip ${(s.gzipBytes / 1024).toFixed(1)} KiB, source map ${(s.sourceMapBytes / 1024).toFixed(1)} KiB)`,
      ),
      '',
    ].join('\n'),
  );
  const outFile = path.join(BENCH_RESULTS_DIR, 'aws-infra.json');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
}

main();
