/** Reading the platform config from YAML text or a file (validation lives in packages/shared). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlatformConfig, ValidationError, parsePlatformConfig } from '@openclaw-tenancy/shared';
import { parseDocument } from 'yaml';

/** The embedded default: the example config committed at the repository root. */
export const EXAMPLE_PLATFORM_CONFIG = path.resolve(__dirname, '../../../config/platform.example.yaml');

export function loadPlatformConfigText(text: string, source: string): PlatformConfig {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(source, [{ path: '', message: `is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}` }]);
  }
  return parsePlatformConfig(doc.toJS(), source);
}

export function loadPlatformConfigFile(file: string): PlatformConfig {
  if (!fs.existsSync(file)) throw new Error(`platform config not found: ${file}`);
  return loadPlatformConfigText(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
}

/** `OPENCLAW_PLATFORM_CONFIG` if set, else the example config. */
export function platformConfigPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPENCLAW_PLATFORM_CONFIG ? path.resolve(env.OPENCLAW_PLATFORM_CONFIG) : EXAMPLE_PLATFORM_CONFIG;
}
