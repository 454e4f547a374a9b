export { CACHE_DIR_ENV, NODE_DIST_PACKAGE, NODE_VERSION, OPENCLAW_VERSION, resolveCacheDir, runtimeLayout } from './layout';
export type { RuntimeLayout } from './layout';
export { ensureOpenClawRuntime } from './ensure';
export type { EnsureOptions, OpenClawRuntime } from './ensure';
export { openClawCliEnv, runOpenClawCli } from './run';
export type { OpenClawCliEnvInput, OpenClawCliOptions } from './run';
export { CommandFailedError } from './process';
export type { CommandResult } from './process';
export { REGENERATE_COMMAND, vendorConfigSchema } from './schema';
export {
  DEBIAN_PREREQUISITES,
  ENSURE_RUNTIME_COMMAND,
  HEADLESS_CHROMIUM_FLAGS,
  MissingPrerequisiteError,
  PREPARE_COMMAND,
  TEST_COMMAND,
  findOnPath,
  prepareTestMachine,
  requireTestPrerequisites,
} from './test-machine';
export type {
  DebianPrerequisite,
  DebianPrerequisiteName,
  MachineProbe,
  MissingPrerequisite,
  PrepareOptions,
  PreparedMachine,
  TestPrerequisite,
} from './test-machine';
