/**
 * The whole platform on one machine, started phase by phase and stopped in
 * reverse order. Every part that exists in AWS runs as its real code (the
 * Lambda handlers, the charts, the edge, OpenClaw) against a local service
 * speaking the same API; see README.md for the layout.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { UpstreamTarget } from '@openclaw-tenancy/edge';
import {
  GitCredentials,
  SecretsManagerPlatformSecretReader,
  rollOutImage,
  tenantManifestsRenderer,
  type GitOpsRepository,
} from '@openclaw-tenancy/lambdas';
import {
  GitHttpServer,
  InvocableHandler,
  LambdaInvokeServer,
  freeLoopbackPort,
  startGitHttpServer,
  startLambdaInvokeServer,
} from '@openclaw-tenancy/lambdas/testing';
import { ensureOpenClawRuntime } from '@openclaw-tenancy/openclaw-runtime';
import { identityEndpoints, imageBuildText, imageReference, platformImageBuild, publicOrigin, tenantNames } from '@openclaw-tenancy/shared';
import { AUTH_UI_DIST, EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { ensureAuthUiBuilt } from './auth-ui-build';
import { localPlatformConfig } from './config/local-platform-config';
import { EdgePod, startEdgePod } from './edge/edge-pod';
import { OFFBOARDING_QUEUE, localFunctions } from './functions/local-functions';
import { LocalRolloutHealth } from './operator/local-rollout-health';
import { startOperatorSocket } from './operator/operator-socket';
import { localImageBuild } from './pods/openclaw-image';
import {
  GITOPS_BRANCH,
  GITOPS_REPO_NAME,
  commitPlatformSynthesis,
  ensureBareRepository,
  gitOpsClient,
} from './gitops/local-gitops-repository';
import { HostNetwork, NetworkPlan, edgeAddressOf, validateNetworkPlan } from './host/host-network';
import { LoopbackForwarder, startLoopbackForwarder } from './host/loopback-forwarder';
import { PodAddressBook } from './host/pod-addresses';
import { listenOrExplain } from './host/port-owner';
import { resolveSystemCommands } from './host/system-commands';
import { CognitoLocalProcess, startCognitoLocalProcess } from './identity/cognito-local-process';
import { IdentityFront, startIdentityFront } from './identity/identity-front';
import { ensureUserPool } from './identity/user-pool';
import { LocalJobQueues } from './local-aws/local-job-queue';
import { logAdminNotifier } from './local-aws/log-admin-notifier';
import { LocalPlatformTables, startPlatformTables } from './local-aws/platform-tables';
import { localModelOverlay } from './model/local-model-config';
import { ScriptedModelServer, startScriptedModelServer } from './model/scripted-model-server';
import { PodRuntime } from './pods/pod-runtime';
import { IdleTenants, describeIdleEvent } from './idle/idle-tenants';
import { GitOpsReconciler } from './reconciler/gitops-reconciler';
import { TenantFences } from './reconciler/tenant-fences';
import { TenantPod, TenantPodEvent } from './reconciler/tenant-pod';
import { SecretsManagerServer, startSecretsManagerServer } from './secrets/secrets-manager-server';
import { SecretsStoreFile } from './secrets/secrets-store-file';
import { stateLayout } from './state-layout';
import { StateLock, takeLock } from './state-lock';

export interface LocalPlatformOptions {
  readonly stateDir: string;
  readonly network: NetworkPlan;
  /** Port of the edge inside its own namespace. @default 8080 */
  readonly edgePort: number;
  /** Port of the public user pool endpoint on the host's bridge address. @default 9229 */
  readonly identityPort: number;
  /** Port of the local Secrets Manager on the host's bridge address. @default 4584 */
  readonly secretsPort: number;
  /** Port of the local GitOps remote (HTTP on loopback). @default 9418 */
  readonly gitPort: number;
  /** Loopback port of the host where the edge is reached (the URL to open; `ssh -L` from elsewhere). @default 8080 */
  readonly loopbackPort: number;
  /** Port of the local model stand-in on the host's bridge address. @default 4600 */
  readonly modelPort: number;
  readonly allowedEmailDomains: readonly string[];
  /** Every tier's idle timeout in seconds (short in tests). @default - the example config's per-tier timeouts */
  readonly idleTimeoutSeconds?: number;
  /** One line per phase and per tenant event. */
  readonly progress: (line: string) => void;
  /**
   * Ends a start in progress at the next phase (a Ctrl-C during a first run's install): what was
   * started is stopped and the start rejects with a {@link StartAbortedError}. @default - not abortable
   */
  readonly signal?: AbortSignal;
}

export interface RunningPlatform {
  /** The URL to open: the edge, serving the auth UI, through a loopback port of the host. */
  readonly url: string;
  /** The local model stand-in's OpenAI-compatible endpoint, which every tenant gateway uses. */
  readonly modelEndpoint: string;
  /** The user pool endpoint the browser uses (a loopback port of the host, like the URL). */
  readonly identityEndpoint: string;
  readonly userPoolId: string;
  readonly appClientId: string;
  /** Stops everything in reverse order of start; the state folder stays. */
  stop(): Promise<void>;
}

export class NotRootError extends Error {
  constructor() {
    super(
      'the local platform runs every tenant gateway and the edge in network namespaces of their own (OpenClaw must never trust loopback); that needs root. Run it as root (sudo npm run local).',
    );
    this.name = 'NotRootError';
  }
}

export class StartAbortedError extends Error {
  constructor() {
    super('the start was stopped before the platform was up; everything it had started is stopped');
    this.name = 'StartAbortedError';
  }
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Starts every part; on a failure, stops what was started and rethrows. */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<RunningPlatform> {
  if (process.getuid?.() !== 0) throw new NotRootError();
  validateNetworkPlan(options.network);
  const { progress } = options;
  // The functions' AWS SDK clients run on the host's Node.js, whose version the user does not choose here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const layout = stateLayout(options.stateDir);
  const stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const onStop = (name: string, stop: () => Promise<void> | void) => stops.unshift({ name, stop });
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const { name, stop } of stops.splice(0)) {
      try {
        await stop();
      } catch (e) {
        progress(`stopping ${name} failed: ${(e as Error).message}`);
      }
    }
  };
  const phase = async <T>(title: string, work: () => Promise<T>): Promise<T> => {
    if (options.signal?.aborted) throw new StartAbortedError();
    const started = Date.now();
    progress(`${title}…`);
    const result = await work();
    progress(`${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  try {
    const commands = resolveSystemCommands();
    fs.mkdirSync(layout.logsDir, { recursive: true });
    const lock: StateLock = takeLock(layout.lockFile, layout.root, 'stop it first (Ctrl-C in its terminal), or use another --state-dir');
    onStop('state lock', () => lock.release());
    // /run is cleared at boot, like the namespaces the lock guards.
    const networkLock: StateLock = takeLock(
      `/run/openclaw-local-platform-${options.network.namePrefix}.lock`,
      `the network name prefix "${options.network.namePrefix}"`,
      'stop it first, or start this one with another --name-prefix and --subnet',
    );
    onStop('network lock', () => networkLock.release());
    progress(`state: ${layout.root}`);

    const runtime = await phase('OpenClaw runtime (Node.js 24 + openclaw; the first run installs them, which takes minutes)', () =>
      ensureOpenClawRuntime({ log: (line) => progress(`  ${line}`) }),
    );
    await phase('auth UI build', async () => {
      if (await ensureAuthUiBuilt()) progress('  built packages/auth-ui/dist');
    });

    const network = await phase(`pod network (bridge ${options.network.namePrefix}-br, ${options.network.subnet}.0.0/16)`, () =>
      HostNetwork.create(options.network, commands),
    );
    onStop('pod network', () => network.destroy());
    const hostAddress = network.hostAddress;
    const edgeAddress = edgeAddressOf(options.network);

    // The edge and the user pool endpoint, each on a loopback port of the host: the URL a person opens here or
    // through `ssh -L`, and therefore the public origin the gateways accept.
    const edgeLoopback: LoopbackForwarder = await listenOrExplain(
      () => startLoopbackForwarder({ port: options.loopbackPort, targetHost: edgeAddress, targetPort: options.edgePort }),
      { host: '127.0.0.1', port: options.loopbackPort, purpose: 'the URL to open (the edge)', option: '--loopback-port' },
      commands,
    );
    onStop('edge loopback port', () => edgeLoopback.close());
    const identityLoopback: LoopbackForwarder = await listenOrExplain(
      () => startLoopbackForwarder({ port: options.identityPort, targetHost: hostAddress, targetPort: options.identityPort }),
      { host: '127.0.0.1', port: options.identityPort, purpose: 'the user pool endpoint for the browser', option: '--identity-port' },
      commands,
    );
    onStop('identity loopback port', () => identityLoopback.close());

    // The local config is the example config plus local identity and network: region, account and
    // sign-up settings are known before the user pool exists.
    const exampleConfig = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
    const region = exampleConfig.aws.region;

    const secretsStore = SecretsStoreFile.open(layout.secretsFile);
    const secretsServer: SecretsManagerServer = await phase('secrets store (local Secrets Manager: SigV4 + per-tenant ABAC)', () =>
      listenOrExplain(
        () =>
          startSecretsManagerServer({
            store: secretsStore,
            host: hostAddress,
            port: options.secretsPort,
            region,
            account: exampleConfig.aws.account,
            log: (l) => progress(`secrets store: ${l}`),
          }),
        { host: hostAddress, port: options.secretsPort, purpose: 'local Secrets Manager', option: '--secrets-port' },
        commands,
      ),
    );
    onStop('secrets store', () => secretsServer.close());
    const platformKey = secretsStore.accessKeyFor({ kind: 'platform', name: 'platform-functions' });
    const secretsManager = new SecretsManagerClient({
      endpoint: secretsServer.endpoint,
      region,
      credentials: { accessKeyId: platformKey.accessKeyId, secretAccessKey: platformKey.secretAccessKey },
    });
    onStop('secrets client', () => secretsManager.destroy());

    const tables: LocalPlatformTables = await phase('DynamoDB tables (dynalite)', () =>
      startPlatformTables(path.join(layout.dynamoDbDir, 'tables.json'), region),
    );
    onStop('DynamoDB', () => tables.close());

    // cognito-local needs the invoke endpoint to start and the functions need the pool: they are registered once both exist.
    const functionsByName: Record<string, InvocableHandler> = {};
    const lambdaServer: LambdaInvokeServer = await startLambdaInvokeServer({ functions: functionsByName });
    onStop('Lambda invoke server', () => lambdaServer.close());
    const identityOrigin = `http://${hostAddress}:${options.identityPort}`;
    const cognitoPort = await freeLoopbackPort();
    const cognito: CognitoLocalProcess = await phase('cognito-local (user pool)', () =>
      startCognitoLocalProcess(
        {
          workDir: layout.cognitoDir,
          port: cognitoPort,
          lambdaEndpoint: lambdaServer.endpoint,
          triggers: { PreSignUp: 'pre-signup', PostConfirmation: 'post-confirmation' },
          issuerDomain: identityOrigin,
          logFile: path.join(layout.logsDir, 'cognito-local.log'),
          onCodeDelivery: (destination, code) => progress(`confirmation code for ${destination}: ${code} (cognito-local sends no e-mail)`),
        },
        commands,
      ),
    );
    onStop('cognito-local', () => cognito.stop());
    const cognitoAdmin = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region, credentials: LOCAL_CREDENTIALS });
    onStop('cognito client', () => cognitoAdmin.destroy());
    const pool = await ensureUserPool(cognitoAdmin, layout.identityFile, exampleConfig.signup.mfa);
    progress(`  user pool ${pool.userPoolId}, app client ${pool.appClientId}${pool.created ? ' (created)' : ''}`);
    const front: IdentityFront = await listenOrExplain(
      () => startIdentityFront({ upstream: cognito.endpoint, host: hostAddress, port: options.identityPort, userPoolId: pool.userPoolId }),
      {
        host: hostAddress,
        port: options.identityPort,
        purpose: 'the user pool endpoint for the browser and the edge',
        option: '--identity-port',
      },
      commands,
    );
    onStop('identity front', () => front.close());

    const local = localPlatformConfig({
      userPoolId: pool.userPoolId,
      appClientId: pool.appClientId,
      issuerUrl: `${front.endpoint}/${pool.userPoolId}`,
      publicOrigin: edgeLoopback.origin,
      edgeAddress,
      allowedEmailDomains: options.allowedEmailDomains,
      gitRepoUrl: `http://127.0.0.1:${options.gitPort}/${GITOPS_REPO_NAME}`,
      ...(options.idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds: options.idleTimeoutSeconds }),
    });
    fs.writeFileSync(layout.platformConfigFile, local.yaml);
    const config = local.config;

    let repository: GitOpsRepository | undefined;
    const gitServer: GitHttpServer = await phase('GitOps remote (bare repository over HTTP)', async () => {
      await ensureBareRepository(commands.git, layout.gitopsBareRepo);
      const credentials = await ensureGitCredentials(secretsManager, config.gitops.credentialsSecretName);
      const server = await listenOrExplain(
        () => startGitHttpServer({ projectRoot: layout.gitRoot, credentials, port: options.gitPort }),
        { host: '127.0.0.1', port: options.gitPort, purpose: 'the local GitOps remote', option: '--git-port' },
        commands,
      );
      const client = gitOpsClient({
        url: config.gitops.repoUrl,
        credentials,
        author: { name: 'local-platform', email: 'local-platform@openclaw.invalid' },
      });
      repository = client;
      const result = await commitPlatformSynthesis(client, config, tenantManifestsRenderer);
      progress(
        `  deploy/ ${result.changed ? `re-synthesized from the platform config (${result.commit.slice(0, 7)})` : 'matches the platform config'}`,
      );
      return server;
    });
    onStop('GitOps remote', () => gitServer.close());

    const queues = new LocalJobQueues({ file: layout.queueFile, region, account: config.aws.account, log: progress });
    onStop('queues', () => queues.stop());
    const reader = new SecretsManagerPlatformSecretReader(secretsManager);
    const functions = localFunctions({
      config,
      tables,
      cognitoEndpoint: cognito.endpoint,
      secretsManager,
      gitUrl: config.gitops.repoUrl,
      gitCredentials: async () =>
        parseGitCredentials(await reader.readJson(config.gitops.credentialsSecretName), config.gitops.credentialsSecretName),
      queues,
      podIdentityFile: layout.podIdentityFile,
      notifier: logAdminNotifier(progress),
      announceInvitation: (email, temporaryPassword) =>
        progress(`invitation for ${email}: temporary password ${temporaryPassword} (cognito-local sends no e-mail)`),
    });
    onStop('functions', () => functions.close());
    Object.assign(functionsByName, functions.triggers);
    functions.connectQueues();

    const edgeNetwork = await network.createPod('edge', edgeAddress, 'edge');
    const endpoints = identityEndpoints(config);
    const edge: EdgePod = await phase(`edge (own network namespace, ${edgeAddress}:${options.edgePort})`, () =>
      startEdgePod(
        edgeNetwork,
        {
          identity: endpoints,
          host: edgeAddress,
          port: options.edgePort,
          authUiDir: AUTH_UI_DIST,
          runtimeConfig: {
            region,
            userPoolId: pool.userPoolId,
            clientId: pool.appClientId,
            origin: publicOrigin(config),
            cognitoEndpoint: identityLoopback.origin,
          },
          loopbackRelays: [{ port: options.identityPort, targetHost: hostAddress, targetPort: options.identityPort }],
        },
        commands,
        path.join(layout.logsDir, 'edge.log'),
      ),
    );
    onStop('edge', () => edge.stop());
    void edge.unexpectedExit.then((message) => {
      if (!stopping) progress(message);
    });

    const model: ScriptedModelServer = await phase('local model stand-in (scripted, OpenAI-compatible; no real model runs offline)', () =>
      listenOrExplain(
        () =>
          startScriptedModelServer({
            host: hostAddress,
            port: options.modelPort,
            recordFile: layout.modelToolResultsFile,
            // A gateway that chats is routed: the ready tenants' addresses name it.
            callerOf: (address) => [...ready].find(([, target]) => target.host === address)?.[0],
          }),
        { host: hostAddress, port: options.modelPort, purpose: 'the local model stand-in', option: '--model-port' },
        commands,
      ),
    );
    onStop('model stand-in', () => model.close());
    progress(`  ${model.endpoint} (every tenant gateway's only model provider on this machine)`);

    const ready = new Map<string, UpstreamTarget>();
    const podRuntime = new PodRuntime(commands, runtime, localModelOverlay(model.endpoint));
    const addresses = new PodAddressBook(layout.addressesFile);
    const report = (event: TenantPodEvent) => {
      idle.podEvent(event);
      rolloutHealth.podEvent(event);
      const tenant = `tenant ${event.tenantId}`;
      switch (event.type) {
        case 'validating':
          progress(`${tenant}: validating its OpenClaw config (openclaw config validate --json)`);
          break;
        case 'invalid':
          progress(
            `${tenant}: OpenClaw rejected the config of its ConfigMap; the gateway is not started:\n${event.issues.map((i) => `    ${i}`).join('\n')}`,
          );
          break;
        case 'starting':
          progress(`${tenant}: starting its gateway at ${event.address}`);
          break;
        case 'ready':
          ready.set(event.tenantId, { host: event.address, port: event.port, owner: event.owner });
          edge.route(ready);
          progress(
            `${tenant}: ready in ${(event.startupMs / 1000).toFixed(1)} s → ${edgeLoopback.origin}${tenantNames(event.tenantId).routePath}/`,
          );
          break;
        case 'unready':
          if (ready.delete(event.tenantId)) edge.route(ready);
          break;
        case 'failed':
          progress(
            `${tenant}: ${event.reason}; restarting in ${Math.round(event.restartInMs / 1000)} s (log: ${layout.tenantLogFile(event.tenantId, 'gateway')})${event.details.map((d) => `\n    ${d}`).join('')}`,
          );
          break;
        case 'stopped':
          progress(`${tenant}: gateway stopped`);
          break;
      }
    };
    const pods = new Map<string, TenantPod>();
    const idle = new IdleTenants({
      report: (event) => progress(describeIdleEvent(event)),
      pods: {
        apply(tenantId, workload) {
          let pod = pods.get(tenantId);
          if (!pod && !workload) return;
          if (!pod) {
            pod = new TenantPod(tenantId, {
              runtime: podRuntime,
              network,
              plan: options.network,
              addresses,
              layout,
              report,
              injectedEnv: (id) => {
                const key = secretsStore.accessKeyFor({ kind: 'tenant', tenantId: id, namespace: tenantNames(id).namespace });
                return {
                  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsServer.endpoint,
                  AWS_ACCESS_KEY_ID: key.accessKeyId,
                  AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
                };
              },
            });
            pods.set(tenantId, pod);
          }
          pod.apply(workload);
        },
        known: () => [...pods.keys()],
      },
    });
    const rolloutHealth = new LocalRolloutHealth(idle);
    idle.start();
    onStop('idle tracking', () => idle.stop());
    edge.onTenantActivity((activity) => idle.activity(activity));
    const reconciler = new GitOpsReconciler({
      git: commands.git,
      bareRepo: layout.gitopsBareRepo,
      branch: GITOPS_BRANCH,
      fences: new TenantFences(config),
      log: progress,
      pods: idle,
    });
    // Registered before the start: a start that fails after its first sync applied pods still stops them.
    onStop('tenant gateways', async () => {
      await reconciler.stop();
      await Promise.all([...pods.values()].map((p) => p.remove()));
    });
    await phase('reconciler (Argo CD’s part: follows the GitOps remote)', () => reconciler.start());
    const gitops = repository;
    if (!gitops) throw new Error('the GitOps remote phase ended without a repository client');
    const operatorSocket = await startOperatorSocket({
      path: layout.operatorSocket,
      progress: functions.progress,
      offboardingQueue: queues.queue(OFFBOARDING_QUEUE),
      invite: (invitation) => functions.invite(invitation),
      rollOut: (request, signal, onProgress) =>
        rollOutImage(
          { config, repository: gitops, renderer: tenantManifestsRenderer, health: rolloutHealth },
          {
            target: request.build ?? platformImageBuild(config.image),
            waves: request.waves,
            waveTimeoutMs: request.waveTimeoutMs,
            pollMs: 500,
            dryRun: false,
            signal,
            progress: (line) => {
              progress(`upgrade: ${line}`);
              onProgress(line);
            },
          },
        ),
    });
    onStop('operator socket', () => operatorSocket.close());
    progress(
      `  tenant image on this machine: ${imageReference(config.image.repository, localImageBuild(runtime))} (npm run local:upgrade -- --image ${imageBuildText(localImageBuild(runtime))})`,
    );

    return {
      url: `${edgeLoopback.origin}/`,
      modelEndpoint: model.endpoint,
      identityEndpoint: identityLoopback.origin,
      userPoolId: pool.userPoolId,
      appClientId: pool.appClientId,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

function parseGitCredentials(value: unknown, secretName: string): GitCredentials {
  const v = value as Partial<GitCredentials> | null;
  if (typeof v?.username !== 'string' || typeof v.password !== 'string')
    throw new Error(`secret ${secretName} must be a JSON object {"username": …, "password": …}`);
  return { username: v.username, password: v.password };
}

/** The provisioner's Git credential, created once in the local Secrets Manager (as an operator would in AWS). */
async function ensureGitCredentials(secretsManager: SecretsManagerClient, secretName: string): Promise<GitCredentials> {
  const reader = new SecretsManagerPlatformSecretReader(secretsManager);
  try {
    return parseGitCredentials(await reader.readJson(secretName), secretName);
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
  }
  const credentials = { username: 'provisioner', password: randomBytes(24).toString('base64url') };
  await secretsManager.send(new CreateSecretCommand({ Name: secretName, SecretString: JSON.stringify(credentials) }));
  return credentials;
}
