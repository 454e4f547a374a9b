/**
 * The one place the local platform runs a tenant gateway with a config other
 * than its ConfigMap's: the model provider. The cluster's gateways use Amazon
 * Bedrock, which cannot be reached offline; on the local platform the
 * kubelet's part writes the ConfigMap's `openclaw.json` into the pod with the
 * model catalog replaced by the local stand-in (an OpenAI-compatible endpoint
 * on the host's bridge address) and nothing else changed (docs/adr/0410).
 * The Git copy, the synthesized manifests and the cluster are untouched.
 */
import { POD_PATHS, tenantNames } from '@openclaw-tenancy/shared';
import * as path from 'node:path';
import { STAND_IN_MODEL, STAND_IN_PROVIDER } from './scripted-model';

/** The ConfigMap key the overlay applies to: the gateway's own config file. */
export const OPENCLAW_CONFIG_KEY = path.posix.basename(POD_PATHS.configFile);

/** Rewrites one file of a ConfigMap as the kubelet's part writes it into a pod. */
export type ConfigMapFileOverlay = (tenantId: string, configMap: string, key: string, content: string) => string;

export class LocalModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalModelConfigError';
  }
}

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `openclawJson` (the ConfigMap's `openclaw.json`) with its model catalog
 * replaced by the stand-in at `endpoint` (e.g. `http://10.203.0.1:4600/v1`):
 * `models` (only the stand-in, `mode: replace`, no catalog refresh) and
 * `agents.defaults.model` / `agents.defaults.models`. Every other key keeps
 * its value and position.
 */
export function withLocalModelStandIn(openclawJson: string, endpoint: string): string {
  let config: unknown;
  try {
    config = JSON.parse(openclawJson);
  } catch (e) {
    throw new LocalModelConfigError(
      `the ConfigMap's ${OPENCLAW_CONFIG_KEY} is not JSON (${(e as Error).message}); the local platform replaces its model provider and needs to read it`,
    );
  }
  if (!isObject(config)) throw new LocalModelConfigError(`the ConfigMap's ${OPENCLAW_CONFIG_KEY} must be a JSON object`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new LocalModelConfigError(`model stand-in endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== 'http:' || url.username !== '' || url.password !== '')
    throw new LocalModelConfigError(`model stand-in endpoint ${endpoint} must be a plain http:// URL without credentials`);

  const ref = `${STAND_IN_PROVIDER}/${STAND_IN_MODEL}`;
  const agents = isObject(config.agents) ? config.agents : {};
  const defaults = isObject(agents.defaults) ? agents.defaults : {};
  const result: JsonObject = {
    ...config,
    agents: {
      ...agents,
      defaults: { ...defaults, model: { primary: ref, fallbacks: [] }, models: { [ref]: { alias: 'local-stand-in' } } },
    },
    models: {
      mode: 'replace',
      catalogRefresh: { enabled: false },
      providers: {
        [STAND_IN_PROVIDER]: {
          baseUrl: endpoint,
          api: 'openai-completions',
          models: [
            {
              id: STAND_IN_MODEL,
              name: 'local stand-in (scripted, offline)',
              input: ['text'],
              contextWindow: 128000,
              maxTokens: 4096,
              cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
            },
          ],
        },
      },
    },
  };
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** The overlay that gives every tenant gateway the stand-in at `endpoint`, and changes no other file. */
export function localModelOverlay(endpoint: string): ConfigMapFileOverlay {
  return (tenantId, configMap, key, content) =>
    configMap === tenantNames(tenantId).configMap && key === OPENCLAW_CONFIG_KEY ? withLocalModelStandIn(content, endpoint) : content;
}
