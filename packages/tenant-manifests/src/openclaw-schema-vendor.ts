/**
 * Writes the vendored OpenClaw config JSON Schema and its provenance README.
 * This package validates generated configs against that file, so it owns
 * where the file lives and what the README says; whoever runs the real
 * `openclaw config schema --json` (packages/openclaw-runtime) hands the
 * printed text to {@link writeVendoredOpenClawSchema}.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPENCLAW_SCHEMA_FILE, findLocalDefsRoots } from './validation/openclaw-schema-validator';

export const OPENCLAW_SCHEMA_VENDOR_DIR = path.dirname(OPENCLAW_SCHEMA_FILE);
export const OPENCLAW_SCHEMA_FILE_NAME = path.basename(OPENCLAW_SCHEMA_FILE);

export interface OpenClawSchemaProvenance {
  /** As printed by `openclaw --version`, e.g. `OpenClaw 2026.9.6 (eb377ac)`. */
  readonly openclawBuild: string;
  /** The npm version of openclaw that printed it. */
  readonly openclawVersion: string;
  readonly nodeVersion: string;
  /** The command a maintainer runs to regenerate the files. */
  readonly regenerateCommand: string;
  /** Where the pinned version is set, for the README's upgrade note. */
  readonly versionPinnedIn: string;
}

export interface VendoredSchema {
  readonly schemaPath: string;
  readonly readmePath: string;
  readonly openclawBuild: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Writes `printed` (the CLI's stdout) re-indented, so diffs between releases
 * stay line-based, with key order as OpenClaw prints it; and a README
 * recording where it came from. Throws, writing nothing, if `printed` is not
 * a JSON object.
 */
export function writeVendoredOpenClawSchema(
  printed: string,
  provenance: OpenClawSchemaProvenance,
  outDir: string = OPENCLAW_SCHEMA_VENDOR_DIR,
): VendoredSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(printed);
  } catch (e) {
    throw new Error(`the printed OpenClaw config schema is not JSON: ${(e as Error).message}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new Error('the printed OpenClaw config schema is not a JSON object');
  }
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const sha256 = createHash('sha256').update(text).digest('hex');
  const bytes = Buffer.byteLength(text);
  fs.mkdirSync(outDir, { recursive: true });
  const schemaPath = path.join(outDir, OPENCLAW_SCHEMA_FILE_NAME);
  const readmePath = path.join(outDir, 'README.md');
  fs.writeFileSync(schemaPath, text);
  fs.writeFileSync(
    readmePath,
    vendoredSchemaReadme({
      ...provenance,
      date: new Date().toISOString().slice(0, 10),
      bytes,
      sha256,
      asPrinted: text === printed,
      localDefsRoots: findLocalDefsRoots(schema),
    }),
  );
  return { schemaPath, readmePath, openclawBuild: provenance.openclawBuild, bytes, sha256 };
}

export interface VendoredSchemaReadmeInput extends OpenClawSchemaProvenance {
  readonly date: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Whether the file is byte-for-byte the CLI's stdout (otherwise only re-indented). */
  readonly asPrinted: boolean;
  readonly localDefsRoots: readonly string[];
}

export function vendoredSchemaReadme(input: VendoredSchemaReadmeInput): string {
  const {
    openclawBuild,
    openclawVersion,
    nodeVersion,
    regenerateCommand,
    versionPinnedIn,
    date,
    bytes,
    sha256,
    asPrinted,
    localDefsRoots,
  } = input;
  const fidelity = asPrinted
    ? 'byte for byte as the real gateway prints it with'
    : 'as the real gateway prints it, re-indented with two spaces, with';
  return `# Vendored OpenClaw config schema

\`${OPENCLAW_SCHEMA_FILE_NAME}\` is the JSON Schema (draft-07) of the OpenClaw gateway
configuration file, ${fidelity}
\`openclaw config schema --json\`. It is generated, not written: do not edit
it by hand.

| | |
| --- | --- |
| produced by | \`${openclawBuild}\` (npm \`openclaw@${openclawVersion}\`) on Node.js v${nodeVersion} |
| generated on | ${date} |
| size | ${bytes} bytes |
| sha256 | \`${sha256}\` |

The command ran in an empty sandbox (no config file, fresh \`HOME\`,
\`TMPDIR\` and \`OPENCLAW_STATE_DIR\`), so the schema describes the pinned
release only, not plugins installed on the generating machine.
${
  localDefsRoots.length === 0
    ? ''
    : `
## Compiling it with ajv

These embedded plugin schemas use \`#/$defs/...\` refs relative to themselves,
not to the document root, so \`ajv.compile\` throws \`MissingRefError\` as is:

${localDefsRoots.map((pointer) => `- \`${pointer}\``).join('\n')}

Give each of them an \`$id\` in memory before compiling (never in this file).
`
}
## Regenerate

\`\`\`bash
${regenerateCommand}
\`\`\`

On first use this downloads Node.js ${nodeVersion} and \`openclaw@${openclawVersion}\`
into \`.cache/openclaw-runtime/\` (about 700 MB). To move to another OpenClaw
release, change \`OPENCLAW_VERSION\` in \`${versionPinnedIn}\`,
regenerate, and review the diff of \`${OPENCLAW_SCHEMA_FILE_NAME}\`.
`;
}
