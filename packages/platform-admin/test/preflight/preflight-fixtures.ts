import { PlatformConfig } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { PreflightClients, createPreflightClients } from '../../src/preflight/preflight-clients';

/** The example config, with overrides per test. */
export function exampleConfig(override: (c: PlatformConfig) => PlatformConfig = (c) => c): PlatformConfig {
  return override(loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG));
}

/** Real SDK clients; tests intercept them with aws-sdk-client-mock, so nothing leaves the process. */
export function sdkClients(config: PlatformConfig): PreflightClients {
  return createPreflightClients(config);
}

/** An error as the AWS SDK throws it: the AWS error code is the name. */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
