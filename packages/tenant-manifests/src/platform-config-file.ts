/**
 * Reading the platform config from YAML text or a file: the one loader every
 * package uses (the schema and its error messages live in packages/shared).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlatformConfig, ValidationError, parsePlatformConfig } from '@openclaw-tenancy/shared';
import { parseDocument } from 'yaml';
import { EXAMPLE_PLATFORM_CONFIG } from './repository-layout';

export { EXAMPLE_PLATFORM_CONFIG };

/** Environment variable naming the platform config file to synthesize from. */
export const PLATFORM_CONFIG_ENV = 'OPENCLAW_PLATFORM_CONFIG';

/** Parses YAML text (unique keys, strict) into a validated config; `source` names the file in errors. */
export function loadPlatformConfigText(text: string, source: string): PlatformConfig {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(source, [{ path: '', message: `is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}` }]);
  }
  return parsePlatformConfig(doc.toJS(), source);
}

/** Reads and validates a config file; throws naming the file, or the offending key. */
export function loadPlatformConfigFile(file: string): PlatformConfig {
  if (!fs.existsSync(file)) {
    throw new Error(`platform config file ${file} does not exist; set ${PLATFORM_CONFIG_ENV} to your copy of config/platform.example.yaml`);
  }
  return loadPlatformConfigText(fs.readFileSync(file, 'utf8'), shownPath(file));
}

/** A file below the working directory relative to it, any other as given: how a person would name it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The file named by `OPENCLAW_PLATFORM_CONFIG` (made absolute), else the example config. */
export function platformConfigPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[PLATFORM_CONFIG_ENV]?.trim();
  return fromEnv ? path.resolve(fromEnv) : EXAMPLE_PLATFORM_CONFIG;
}
