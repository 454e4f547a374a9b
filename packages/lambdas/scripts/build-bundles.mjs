import { FUNCTIONS, bundle } from './bundles.mjs';

for (const fn of FUNCTIONS) {
  const { outfile, bytes } = await bundle(fn);
  console.log(`${fn.padEnd(18)} ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${outfile}`);
}
