import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/**
 * The committed example config. This package may not import the repository
 * layout (tenant-manifests depends on it, not the other way round), so its
 * tests locate the file from here: `packages/shared/test/support/`.
 */
export const EXAMPLE_CONFIG_PATH = path.resolve(__dirname, '..', '..', '..', '..', 'config', 'platform.example.yaml');

/** A fresh, editable copy of the example config as parsed YAML. */
export function exampleConfigRaw(): Record<string, any> {
  return parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, any>;
}
