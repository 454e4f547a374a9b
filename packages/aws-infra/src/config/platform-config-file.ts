/**
 * Reads the platform configuration file the CDK app synthesizes from. The
 * schema (and every error message naming a key) lives in `packages/shared`;
 * this module only finds the file and turns YAML into a plain value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlatformConfig, parsePlatformConfig } from '@openclaw-tenancy/shared';
import { parse as parseYaml } from 'yaml';

/** Environment variable holding the path of the config file to synthesize. */
export const PLATFORM_CONFIG_ENV = 'OPENCLAW_PLATFORM_CONFIG';

/** The repository root, found from this file so the app works from any working directory. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The embedded example config: what `nx run aws-infra:synth` synthesizes by default. */
export const EXAMPLE_PLATFORM_CONFIG = path.join(REPOSITORY_ROOT, 'config', 'platform.example.yaml');

/** The config file named by {@link PLATFORM_CONFIG_ENV}, or the example config. */
export function platformConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[PLATFORM_CONFIG_ENV]?.trim();
  return fromEnv ? path.resolve(fromEnv) : EXAMPLE_PLATFORM_CONFIG;
}

/** Parses YAML text into a validated config; `source` names the file in error messages. */
export function parsePlatformConfigYaml(text: string, source: string): PlatformConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new Error(`${source} is not valid YAML: ${(e as Error).message}`);
  }
  return parsePlatformConfig(raw, source);
}

/** Reads and validates a config file; throws with the offending key for any invalid or missing value. */
export function loadPlatformConfig(file: string): PlatformConfig {
  if (!fs.existsSync(file)) {
    throw new Error(`platform config file ${file} does not exist; set ${PLATFORM_CONFIG_ENV} to your copy of config/platform.example.yaml`);
  }
  return parsePlatformConfigYaml(fs.readFileSync(file, 'utf8'), file);
}
