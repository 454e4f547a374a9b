/**
 * The platform config of the functions that write tenant folders
 * (provisioner, offboarder, cost enforcer). The CDK app bundles it into their
 * code (an esbuild `define` of {@link PLATFORM_CONFIG_DEFINE}), so it arrives
 * with the deployment and is never read from the branch these functions push
 * to: a stolen Git credential cannot change what they synthesize. The local
 * platform passes its config to the same domain code directly.
 */
import { PlatformConfig, parsePlatformConfig } from '@openclaw-tenancy/shared';

/** The identifier esbuild replaces with the config's JSON when the CDK app bundles these functions. */
export const PLATFORM_CONFIG_DEFINE = '__OPENCLAW_PLATFORM_CONFIG__';
declare const __OPENCLAW_PLATFORM_CONFIG__: unknown;

/** esbuild `define` entries that bundle `config` into a function. */
export function platformConfigDefine(config: PlatformConfig): Record<string, string> {
  return { [PLATFORM_CONFIG_DEFINE]: JSON.stringify(config) };
}

/** The config bundled into this function, validated; throws if the function was bundled without one. */
export function deployedPlatformConfig(): PlatformConfig {
  if (typeof __OPENCLAW_PLATFORM_CONFIG__ === 'undefined') {
    throw new Error(
      `this function was bundled without a platform config (esbuild define ${PLATFORM_CONFIG_DEFINE}); deploy it with the CDK app`,
    );
  }
  return parsePlatformConfig(__OPENCLAW_PLATFORM_CONFIG__, 'the platform config bundled into this function');
}
