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
import * as path from 'node:path';
import { PlatformFunction } from '@openclaw-tenancy/shared';
import { BuildOptions, Metafile, build } from 'esbuild';
import { LAMBDAS_PACKAGE_ROOT, bundlingOptions } from '../src/handler-entries';

/** The keys of bundling.json (the CDK NodejsFunction bundling props esbuild understands). */
export interface BundlingJson {
  readonly minify?: boolean;
  readonly sourceMap?: boolean;
  readonly sourcesContent?: boolean;
  readonly target?: string;
  readonly format?: 'cjs' | 'esm';
  readonly mainFields?: string[];
  readonly externalModules?: string[];
}

export const BUNDLING = bundlingOptions() as BundlingJson;
/** For comparison: the whole AWS SDK left to the Lambda runtime instead of bundled. */
export const SDK_EXTERNAL: BundlingJson = { ...BUNDLING, mainFields: undefined, externalModules: ['@aws-sdk/*'] };

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
export const LAZY_MODULES: Readonly<Record<PlatformFunction, readonly string[]>> = {
  'pre-signup': [],
  'post-confirmation': [],
  provisioner: [...GIT, CODEC, CHARTS, BEDROCK],
  offboarder: [...GIT, CODEC, BEDROCK],
  // The charts only when a tenant is suspended; Bedrock only for registry records without profile ARNs.
  'cost-enforcer': [...GIT, CODEC, CHARTS, BEDROCK],
  session: [],
};

/** bundling.json as esbuild options (what the CDK app passes to esbuild for each function). */
export function esbuildOptions(options: BundlingJson): BuildOptions & { metafile: true } {
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

const bytesOf = (metafile: Metafile): number =>
  Object.entries(metafile.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .reduce((n, [, o]) => n + o.bytes, 0);

export interface BundledFunction {
  readonly fn: PlatformFunction;
  readonly outfile: string;
  readonly bytes: number;
  readonly metafile: Metafile;
  /** Bytes evaluated at cold start (reached by static imports). */
  readonly eagerBytes: number;
  /** Bytes behind a dynamic import. */
  readonly lazyBytes: number;
}

export interface BundleOptions {
  /** @default - `dist/` of this package */
  readonly outdir?: string;
  /** @default BUNDLING */
  readonly options?: BundlingJson;
  /** Also evaluate the function's on-first-use modules at load (bench only). @default false */
  readonly withLazyModules?: boolean;
}

/** Bundles one function into `<outdir>/<fn>/index.js`. */
export async function bundle(
  fn: PlatformFunction,
  { outdir = path.join(LAMBDAS_PACKAGE_ROOT, 'dist'), options = BUNDLING, withLazyModules = false }: BundleOptions = {},
): Promise<BundledFunction> {
  const outfile = path.join(outdir, fn, 'index.js');
  const handlerDir = path.join(LAMBDAS_PACKAGE_ROOT, 'src', 'handlers');
  const entry: BuildOptions = withLazyModules
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
function splitEagerLazy(metafile: Metafile, fn: PlatformFunction): { eagerBytes: number; lazyBytes: number } {
  const entry = Object.keys(metafile.inputs).find((k) => k.endsWith(`handlers/${fn}.ts`) || k.endsWith(`${fn}-with-lazy-modules.ts`));
  if (!entry) throw new Error(`the metafile of ${fn} has no handler entry`);
  const seen = new Set([entry]);
  const stack = [entry];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const i of metafile.inputs[next]?.imports ?? []) {
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
export function largestInputs(metafile: Metafile, n = 3): string {
  const byPackage = new Map<string, number>();
  for (const [file, info] of Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs))) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key =
      m?.[1] ??
      (file.includes('packages/') || file.startsWith('../')
        ? file
            .replace(/^(\.\.\/)+/, '')
            .split('/')
            .slice(0, 1)
            .join('/')
        : 'lambdas');
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}K`)
    .join(', ');
}
