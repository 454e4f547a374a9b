import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findLocalDefsRoots } from '@openclaw-tenancy/tenant-manifests';
import { OpenClawRuntime } from './ensure';
import { OPENCLAW_VERSION, REPO_ROOT } from './layout';
import { CommandFailedError } from './process';
import { runOpenClawCli } from './run';

export const SCHEMA_VENDOR_DIR = path.join(REPO_ROOT, 'packages', 'tenant-manifests', 'vendor', 'openclaw');
export const SCHEMA_FILE_NAME = 'config-schema.json';
export const REGENERATE_COMMAND = 'npm run -w @openclaw-tenancy/openclaw-runtime vendor-schema';

export interface VendoredSchema {
  readonly schemaPath: string;
  readonly readmePath: string;
  /** As printed by `openclaw --version`, e.g. `OpenClaw 2026.9.6 (eb377ac)`. */
  readonly openclawBuild: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Writes OpenClaw's own config JSON Schema (`openclaw config schema --json`)
 * and a README recording its provenance into `outDir`.
 *
 * The CLI runs in an empty sandbox (no config file, fresh HOME and state) so
 * the schema reflects the pinned release alone, not plugins or settings that
 * happen to be on the machine that regenerates it.
 */
export async function vendorConfigSchema(runtime: OpenClawRuntime, outDir: string = SCHEMA_VENDOR_DIR): Promise<VendoredSchema> {
  const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-runtime-schema-'));
  try {
    const openclawBuild = (await checkedCli(runtime, sandboxDir, ['--version'])).trim();
    if (!openclawBuild.includes(OPENCLAW_VERSION)) {
      throw new Error(`openclaw --version printed ${JSON.stringify(openclawBuild)}, expected version ${OPENCLAW_VERSION}`);
    }
    const printed = await checkedCli(runtime, sandboxDir, ['config', 'schema', '--json']);
    // Re-indented so diffs between releases stay line-based even if a release prints compact JSON; key order is OpenClaw's.
    const schema: unknown = JSON.parse(printed);
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const sha256 = createHash('sha256').update(text).digest('hex');
    const bytes = Buffer.byteLength(text);

    fs.mkdirSync(outDir, { recursive: true });
    const schemaPath = path.join(outDir, SCHEMA_FILE_NAME);
    const readmePath = path.join(outDir, 'README.md');
    fs.writeFileSync(schemaPath, text);
    fs.writeFileSync(
      readmePath,
      vendorReadme({
        openclawBuild,
        nodeVersion: runtime.nodeVersion,
        date: new Date().toISOString().slice(0, 10),
        bytes,
        sha256,
        asPrinted: text === printed,
        localDefsRoots: findLocalDefsRoots(schema),
      }),
    );
    return { schemaPath, readmePath, openclawBuild, bytes, sha256 };
  } finally {
    fs.rmSync(sandboxDir, { recursive: true, force: true });
  }
}


async function checkedCli(runtime: OpenClawRuntime, sandboxDir: string, args: readonly string[]): Promise<string> {
  const result = await runOpenClawCli(args, { sandboxDir, runtime });
  if (result.exitCode !== 0) throw new CommandFailedError(`openclaw ${args.join(' ')}`, result);
  return result.stdout;
}

export interface VendorReadmeInput {
  readonly openclawBuild: string;
  readonly nodeVersion: string;
  readonly date: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Whether the file is byte-for-byte the CLI's stdout (otherwise only re-indented). */
  readonly asPrinted: boolean;
  readonly localDefsRoots: readonly string[];
}

export function vendorReadme({ openclawBuild, nodeVersion, date, bytes, sha256, asPrinted, localDefsRoots }: VendorReadmeInput): string {
  const fidelity = asPrinted ? 'byte for byte as the real gateway prints it with' : 'as the real gateway prints it, re-indented with two spaces, with';
  return `# Vendored OpenClaw config schema

\`${SCHEMA_FILE_NAME}\` is the JSON Schema (draft-07) of the OpenClaw gateway
configuration file, ${fidelity}
\`openclaw config schema --json\`. It is generated, not written: do not edit
it by hand.

| | |
| --- | --- |
| produced by | \`${openclawBuild}\` (npm \`openclaw@${OPENCLAW_VERSION}\`) on Node.js v${nodeVersion} |
| generated on | ${date} |
| size | ${bytes} bytes |
| sha256 | \`${sha256}\` |

The command ran in an empty sandbox (no config file, fresh \`HOME\`,
\`TMPDIR\` and \`OPENCLAW_STATE_DIR\`), so the schema describes the pinned
release only, not plugins installed on the generating machine.
${localDefsRoots.length === 0 ? '' : `
## Compiling it with ajv

These embedded plugin schemas use \`#/$defs/...\` refs relative to themselves,
not to the document root, so \`ajv.compile\` throws \`MissingRefError\` as is:

${localDefsRoots.map((pointer) => `- \`${pointer}\``).join('\n')}

Give each of them an \`$id\` in memory before compiling (never in this file).
`}
## Regenerate

\`\`\`bash
${REGENERATE_COMMAND}
\`\`\`

On first use this downloads Node.js ${nodeVersion} and \`openclaw@${OPENCLAW_VERSION}\`
into \`.cache/openclaw-runtime/\` (about 700 MB). To move to another OpenClaw
release, change \`OPENCLAW_VERSION\` in \`packages/openclaw-runtime/src/layout.ts\`,
regenerate, and review the diff of \`${SCHEMA_FILE_NAME}\`.
`;
}
