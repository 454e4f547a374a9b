// The esbuild bundling of the five functions, from bundling.json: the options
// the CDK app's NodejsFunction should use (`bundling: { ...bundling.json }`),
// so that what the bench measures is what is deployed.
//
// bundling.json bundles the AWS SDK v3 clients the functions import, from
// their tree-shakable ESM builds (mainFields module, main), minified. Only the
// credential providers the SDK's default chain reaches by dynamic import after
// the environment provider (SSO, ini files, process, web identity, IMDS/ECS,
// and the STS/SSO clients they use) stay external: in Lambda the credentials
// are in the environment, so the chain never gets there (and if it ever did,
// the runtime's own SDK has them). See README "Performance".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['pre-signup', 'post-confirmation', 'provisioner', 'offboarder', 'cost-enforcer'];
export const BUNDLING = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'bundling.json'), 'utf8'));
/** The bundling aws-infra uses today (PLATFORM_FUNCTION_BUNDLING): the whole SDK left to the Lambda runtime. */
export const SDK_EXTERNAL = { ...BUNDLING, mainFields: undefined, externalModules: ['@aws-sdk/*'] };

/**
 * What each function loads on first use rather than at cold start (dynamic
 * imports in src/adapters): isomorphic-git, the registry codec (yaml), the
 * cdk8s charts and the Bedrock client. The bench loads them too, to show the
 * full cold cost of a run that needs them.
 */
const GIT = ['isomorphic-git', 'isomorphic-git/http/node'];
const CODEC = '../adapters/manifests/record-codec';
const CHARTS = '../adapters/manifests/synthesis';
const BEDROCK = '../adapters/bedrock-sdk';
export const LAZY_MODULES = {
  'pre-signup': [],
  'post-confirmation': [],
  provisioner: [...GIT, CODEC, CHARTS, BEDROCK],
  offboarder: [...GIT, CODEC, BEDROCK],
  // The charts only when a tenant is suspended; Bedrock only for registry records without profile ARNs.
  'cost-enforcer': [...GIT, CODEC, CHARTS, BEDROCK],
};

function esbuildOptions(options) {
  return {
    bundle: true,
    platform: 'node',
    minify: options.minify,
    sourcemap: options.sourceMap ? 'linked' : false,
    sourcesContent: options.sourcesContent,
    target: options.target,
    format: options.format,
    external: options.externalModules ?? [],
    ...(options.mainFields ? { mainFields: options.mainFields } : {}),
    metafile: true,
    logLevel: 'error',
  };
}

const bytesOf = (metafile) => Object.entries(metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((n, [, o]) => n + o.bytes, 0);

/** Bundles one function; `withLazyModules` also evaluates its on-first-use modules at load (bench only). */
export async function bundle(fn, { outdir = path.join(PACKAGE_ROOT, 'dist'), options = BUNDLING, withLazyModules = false } = {}) {
  const outfile = path.join(outdir, fn, 'index.js');
  const handlerDir = path.join(PACKAGE_ROOT, 'src', 'handlers');
  const entry = withLazyModules
    ? {
        stdin: {
          contents: [`export * from './${fn}';`, ...LAZY_MODULES[fn].map((m, i) => `export * as __lazy${i} from '${m}';`)].join('\n'),
          resolveDir: handlerDir,
          sourcefile: `${fn}-with-lazy-modules.ts`,
          loader: 'ts',
        },
      }
    : { entryPoints: [path.join(handlerDir, `${fn}.ts`)] };
  const result = await build({ ...entry, ...esbuildOptions(options), outfile });
  return { fn, outfile, bytes: bytesOf(result.metafile), metafile: result.metafile, ...splitEagerLazy(result.metafile, fn) };
}

/** Bytes evaluated at cold start (reached by static imports) and bytes behind a dynamic import. */
function splitEagerLazy(metafile, fn) {
  const entry = Object.keys(metafile.inputs).find((k) => k.endsWith(`handlers/${fn}.ts`));
  const seen = new Set([entry]);
  const stack = [entry];
  while (stack.length > 0) {
    for (const i of metafile.inputs[stack.pop()]?.imports ?? []) {
      if (i.kind === 'dynamic-import' || i.external || seen.has(i.path)) continue;
      seen.add(i.path);
      stack.push(i.path);
    }
  }
  let eagerBytes = 0;
  let lazyBytes = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, info] of Object.entries(output.inputs)) {
      if (seen.has(file)) eagerBytes += info.bytesInOutput;
      else lazyBytes += info.bytesInOutput;
    }
  }
  return { eagerBytes, lazyBytes };
}

/** The largest inputs by package. */
export function largestInputs(metafile, n = 3) {
  const byPackage = new Map();
  for (const [file, info] of Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs))) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : file.includes('packages/') || file.startsWith('../') ? file.replace(/^(\.\.\/)+/, '').split('/').slice(0, 1).join('/') : 'lambdas';
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}K`)
    .join(', ');
}
