// `nx run lambdas:build`: every function bundled with bundling.json into dist/<function>/index.js.
import { PLATFORM_FUNCTIONS } from '@openclaw-tenancy/shared';
import { bundle } from './bundles';

async function main(): Promise<void> {
  for (const fn of PLATFORM_FUNCTIONS) {
    const { outfile, bytes } = await bundle(fn);
    console.log(`${fn.padEnd(18)} ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${outfile}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
