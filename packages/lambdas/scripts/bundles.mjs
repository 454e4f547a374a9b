// esbuild settings equal to the CDK app's NodejsFunction bundling: minified,
// Node 24, CommonJS, the AWS SDK v3 left to the Lambda runtime.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['pre-signup', 'post-confirmation', 'provisioner', 'offboarder', 'cost-enforcer'];

export async function bundle(fn, outdir = path.join(PACKAGE_ROOT, 'dist')) {
  const outfile = path.join(outdir, fn, 'index.js');
  const result = await build({
    entryPoints: [path.join(PACKAGE_ROOT, 'src', 'handlers', `${fn}.ts`)],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  return { fn, outfile, bytes: Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0), metafile: result.metafile };
}
