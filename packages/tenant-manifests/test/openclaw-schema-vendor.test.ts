import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OPENCLAW_SCHEMA_FILE, OPENCLAW_SCHEMA_VENDOR_DIR, REPOSITORY_ROOT, writeVendoredOpenClawSchema } from '../src';

const PROVENANCE = {
  openclawBuild: 'OpenClaw 9.9.9 (abc)',
  openclawVersion: '9.9.9',
  nodeVersion: '24.0.0',
  regenerateCommand: 'npm run regenerate',
  versionPinnedIn: 'somewhere.ts',
};

let out: string;
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-vendor-'));
});
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

describe('writeVendoredOpenClawSchema', () => {
  it('writes into the folder the validator reads from by default', () => {
    expect(path.join(OPENCLAW_SCHEMA_VENDOR_DIR, 'config-schema.json')).toBe(OPENCLAW_SCHEMA_FILE);
    expect(OPENCLAW_SCHEMA_VENDOR_DIR).toBe(path.join(REPOSITORY_ROOT, 'packages', 'tenant-manifests', 'vendor', 'openclaw'));
  });

  it('re-indents the printed schema and records its provenance and the embedded local $defs roots', () => {
    const printed = JSON.stringify({ type: 'object', properties: { p: { $defs: { x: {} }, $ref: '#/$defs/x' } } });
    const written = writeVendoredOpenClawSchema(printed, PROVENANCE, out);
    const text = fs.readFileSync(written.schemaPath, 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(printed), null, 2)}\n`);
    expect(written.bytes).toBe(Buffer.byteLength(text));
    const readme = fs.readFileSync(written.readmePath, 'utf8');
    expect(readme).toContain('`OpenClaw 9.9.9 (abc)` (npm `openclaw@9.9.9`) on Node.js v24.0.0');
    expect(readme).toContain(`\`${written.sha256}\``);
    expect(readme).toContain('re-indented with two spaces');
    expect(readme).toContain('- `/properties/p`');
    expect(readme).toContain('npm run regenerate');
  });

  it.each([
    ['not JSON', '{"type": ', /is not JSON/],
    ['a JSON array', '[]', /is not a JSON object/],
    ['JSON null', 'null', /is not a JSON object/],
  ])('fails if the printed schema is %s, writing nothing', (_name, printed, message) => {
    expect(() => writeVendoredOpenClawSchema(printed, PROVENANCE, out)).toThrow(message);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
