/**
 * CDK entry point (`cdk.json`: `npx tsx bin/app.ts`). Reads the platform
 * config named by OPENCLAW_PLATFORM_CONFIG (default: the committed example),
 * validates it, builds every stack and runs cdk-nag's AWS Solutions checks,
 * which fail the synth on any unacknowledged finding.
 */
import { App } from 'aws-cdk-lib';
import { addAwsSolutionsChecks, createPlatform, loadPlatformConfig, platformConfigPath } from '../src';

function main(): void {
  const config = loadPlatformConfig(platformConfigPath());
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
