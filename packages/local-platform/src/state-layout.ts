/**
 * Where the local platform keeps its state: one folder (`.local-platform/` at
 * the repository root by default, git-ignored), reused by the next start.
 * Deleting it resets the platform (users, tenants, workspaces).
 */
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';

export const DEFAULT_STATE_DIR = path.join(REPOSITORY_ROOT, '.local-platform');

export interface StateLayout {
  readonly root: string;
  /** Held (flock) while a platform runs on this state. */
  readonly lockFile: string;
  /** The running platform's operator socket (mode 0600): `local-platform offboard` sends its job through it. */
  readonly operatorSocket: string;
  /** Ids that must survive restarts: user pool, app client. */
  readonly identityFile: string;
  readonly logsDir: string;
  /** dynalite's LevelDB. */
  readonly dynamoDbDir: string;
  /** cognito-local's working directory (`.cognito/config.json`, `.cognito/db/`). */
  readonly cognitoDir: string;
  /** Parent of the bare GitOps repository (served over HTTP as `/gitops.git`). */
  readonly gitRoot: string;
  readonly gitopsBareRepo: string;
  /** The local Secrets Manager's store (mode 0600). */
  readonly secretsFile: string;
  readonly podIdentityFile: string;
  /** Provisioning/offboarding messages not yet processed (the local queue survives a restart). */
  readonly queueFile: string;
  /** Tenant → pod address index, so a tenant keeps its address across restarts. */
  readonly addressesFile: string;
  readonly platformConfigFile: string;
  /** What the tenant gateways sent back for the model stand-in's scripted tool calls (one JSON object a line). */
  readonly modelToolResultsFile: string;
  tenantDir(tenantId: string): string;
  /** The tenant's PersistentVolumeClaims (OpenClaw state and workspace): kept across restarts. */
  tenantVolumesDir(tenantId: string): string;
  /** Ephemeral per-pod files: emptyDirs, ConfigMap files, container roots. */
  tenantPodDir(tenantId: string): string;
  tenantLogFile(tenantId: string, container: string): string;
}

export function stateLayout(root: string = DEFAULT_STATE_DIR): StateLayout {
  const abs = path.resolve(root);
  const tenantDir = (id: string) => path.join(abs, 'tenants', id);
  return {
    root: abs,
    lockFile: path.join(abs, 'platform.lock'),
    operatorSocket: path.join(abs, 'operator.sock'),
    identityFile: path.join(abs, 'identity.json'),
    logsDir: path.join(abs, 'logs'),
    dynamoDbDir: path.join(abs, 'dynamodb'),
    cognitoDir: path.join(abs, 'cognito'),
    gitRoot: path.join(abs, 'git'),
    gitopsBareRepo: path.join(abs, 'git', 'gitops.git'),
    secretsFile: path.join(abs, 'secrets', 'secrets-manager.json'),
    podIdentityFile: path.join(abs, 'pod-identity-associations.json'),
    queueFile: path.join(abs, 'queue.json'),
    addressesFile: path.join(abs, 'pod-addresses.json'),
    platformConfigFile: path.join(abs, 'platform.local.yaml'),
    modelToolResultsFile: path.join(abs, 'logs', 'model-stand-in-tool-results.jsonl'),
    tenantDir,
    tenantVolumesDir: (id) => path.join(tenantDir(id), 'volumes'),
    tenantPodDir: (id) => path.join(tenantDir(id), 'pod'),
    tenantLogFile: (id, container) => path.join(tenantDir(id), 'logs', `${container}.log`),
  };
}
