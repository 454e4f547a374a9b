/**
 * CDK entry point (`cdk.json`: `npx tsx bin/app.ts`). Reads the platform
 * config named by OPENCLAW_PLATFORM_CONFIG (default: the committed example),
 * validates it (a config other than the example must hold no example value),
 * says which file it used, builds every stack and runs cdk-nag's AWS Solutions
 * checks, which fail the synth on any unacknowledged finding.
 */
import { App } from 'aws-cdk-lib';
import { assertDeployableConfig, configProvenance } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile, platformConfigPathFromEnv } from '@openclaw-tenancy/tenant-manifests';
import { addAwsSolutionsChecks, createPlatform } from '../src';

function main(): void {
  const configPath = platformConfigPathFromEnv();
  const config = loadPlatformConfigFile(configPath);
  // stderr: the CDK CLI passes it through, and stdout may carry a template.
  const isExample = configPath === EXAMPLE_PLATFORM_CONFIG;
  process.stderr.write(`${configProvenance(configPath, isExample)}\n`);
  // A config other than the example must hold no example value and company-sized sign-up limits (the key is named).
  if (!isExample) assertDeployableConfig(config, loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG), configPath);
  const app = new App();
  addAwsSolutionsChecks(app);
  createPlatform(app, config);
  app.synth();
}

try {
  main();
} catch (e) {
  // A config or construct validation error is for a human: the message, not a stack trace.
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
