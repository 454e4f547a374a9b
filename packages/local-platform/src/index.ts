// Public API: the platform as a whole, and the local stand-ins other packages' tests may reuse.
export { NotRootError, StartAbortedError, startLocalPlatform } from './platform';
export type { LocalPlatformOptions, RunningPlatform } from './platform';
export { DEFAULT_STATE_DIR, stateLayout } from './state-layout';
export type { StateLayout } from './state-layout';
export { startSecretsManagerServer } from './secrets/secrets-manager-server';
export type { SecretsManagerServer, SecretsManagerServerOptions } from './secrets/secrets-manager-server';
export { SecretsStoreFile } from './secrets/secrets-store-file';
export type { AccessKey, SecretsPrincipal } from './secrets/secrets-store-file';
export { startIdentityFront } from './identity/identity-front';
export type { IdentityFront, IdentityFrontOptions } from './identity/identity-front';
export {
  STAND_IN_MODEL,
  STAND_IN_PROVIDER,
  STAND_IN_REPLY_PREFIX,
  ScriptedToolCallError,
  parseScriptedToolCall,
  scriptedToolCallMessage,
} from './model/scripted-model';
export type { ScriptedToolCall, ToolResult } from './model/scripted-model';
export { readRecordedToolResults, startScriptedModelServer } from './model/scripted-model-server';
export type { RecordedToolResult, ScriptedModelServer, ScriptedModelServerOptions } from './model/scripted-model-server';
export { LocalModelConfigError, withLocalModelStandIn } from './model/local-model-config';
