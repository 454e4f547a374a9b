/**
 * The OpenClaw gateway configuration of one tenant, generated from typed code.
 * It lands in the tenant's ConfigMap and is mounted read-only, so the gateway
 * (and anything the agent does through it) cannot rewrite its own policy.
 *
 * Verified against openclaw@2026.9.6 (see vendor/openclaw/README.md); the
 * schema test validates every generated config with OpenClaw's own JSON Schema.
 */
import {
  GATEWAY_PORT,
  IDENTITY_HEADER,
  OPERATOR_PASSWORD_KEY,
  OWNER_OPERATOR_SCOPES,
  PlatformConfig,
  POD_PATHS,
  TENANT_SECRETS,
  TenantRecord,
  modelByAlias,
  publicOrigin,
  tenantNames,
  trustedProxyCidrs,
} from '@openclaw-tenancy/shared';

/**
 * The tools a workspace user's agent gets: an allowlist (`tools.allow`
 * replaces the profile's defaults, so a tool a later OpenClaw adds is off
 * until it is listed here). Names as the pinned release spells them.
 * - files: `read`, `write`, `edit`, `apply_patch` — confined to the workspace
 *   by `tools.fs.workspaceOnly`;
 * - the agent's own memory: `memory_search`, `memory_get`;
 * - the web: `web_search`, `web_fetch` — the pod's network policy already
 *   allows HTTPS to the internet, and nothing here reaches the cluster;
 * - reading what the user hands over: `view_image`, `pdf`;
 * - its own session only (visibility `self`): `session_status`,
 *   `sessions_list`, `sessions_history`;
 * - talking to the user: `ask_user`, `progress_card`.
 */
export const WORKSPACE_TOOLS = [
  'read',
  'write',
  'edit',
  'apply_patch',
  'memory_search',
  'memory_get',
  'web_search',
  'web_fetch',
  'view_image',
  'pdf',
  'session_status',
  'sessions_list',
  'sessions_history',
  'ask_user',
  'progress_card',
] as const;

/**
 * Denied even if an allowlist entry or a provider rule would admit them: code
 * execution (`group:runtime`: exec, process, code_execution — with Pod
 * Identity credentials in the pod, code execution is the way from prompt
 * injection to AWS), self-reconfiguration and background work
 * (`group:automation`: gateway, cron), other machines (`group:nodes`), the
 * host UI surfaces (`group:ui`: browser, terminal, canvas), channels
 * (`message`), and reaching or spawning other sessions and agents.
 */
export const DENIED_TOOLS = [
  'group:runtime',
  'group:automation',
  'group:nodes',
  'group:ui',
  'message',
  'sessions_spawn',
  'sessions_send',
  'sessions_yield',
  'subagents',
  'conversations_send',
  'conversations_turn',
] as const;

/** OpenClaw's provider id for Amazon Bedrock (Converse streaming API, AWS SDK credential chain = Pod Identity). */
export const BEDROCK_PROVIDER = 'amazon-bedrock';

/** Name of the exec secret provider that resolves the tenant's Secrets Manager entries. */
export const SECRET_PROVIDER_NAME = 'tenant';

export interface OpenClawConfigInput {
  readonly record: TenantRecord;
  readonly config: PlatformConfig;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type OpenClawConfig = { [key: string]: JsonValue };

export function buildOpenClawConfig({ record, config }: OpenClawConfigInput): OpenClawConfig {
  const names = tenantNames(record.id);
  // The tenant's own application inference profile when the provisioner has created it: the tenant
  // role may invoke models only through profiles tagged with its namespace (ADR 0102).
  const invocationId = (alias: string): string => record.inferenceProfiles?.[alias] ?? modelByAlias(config, alias).id;
  const modelRef = (alias: string): string => `${BEDROCK_PROVIDER}/${invocationId(alias)}`;
  const aliases: { [ref: string]: JsonValue } = {};
  for (const entry of config.models.catalog) aliases[modelRef(entry.alias)] = { alias: entry.alias };
  return {
    gateway: {
      port: GATEWAY_PORT,
      mode: 'local',
      // In the pod the edge reaches the gateway over the pod network, never over loopback.
      bind: 'lan',
      trustedProxies: [...trustedProxyCidrs(config)],
      controlUi: {
        enabled: true,
        basePath: names.routePath,
        allowedOrigins: [publicOrigin(config)],
      },
      auth: {
        mode: 'trusted-proxy',
        trustedProxy: {
          userHeader: IDENTITY_HEADER,
          requiredHeaders: ['x-forwarded-proto'],
          allowUsers: [record.owner],
          // With loopback trusted, any process in the pod (the agent's own tools included) could forge the identity.
          allowLoopback: false,
          deviceAutoApprove: { enabled: true, scopes: [...OWNER_OPERATOR_SCOPES] },
        },
        // Break-glass credential for platform automation, resolved at start through the secret provider.
        password: { source: 'exec', provider: SECRET_PROVIDER_NAME, id: `${TENANT_SECRETS.gateway}:${OPERATOR_PASSWORD_KEY}` },
      },
      // The Control UI terminal is an admin-scoped host PTY; a tenant has no business on the node.
      terminal: { enabled: false },
      // No external CLI agent engines (their own code execution) from the Control UI's session picker.
      cliAgents: { enabled: false },
    },
    tools: {
      allow: [...WORKSPACE_TOOLS],
      deny: [...DENIED_TOOLS],
      fs: { workspaceOnly: true },
      exec: { security: 'deny' },
      elevated: { enabled: false },
      // Code mode runs model-written JavaScript in the gateway's Node (not a sandbox); left "auto" when absent.
      codeMode: false,
      // Collector-mode subagents (on by default) would spawn sessions past the spawning denial.
      swarm: false,
      // No cross-agent session access; session tools see the current session only.
      agentToAgent: { enabled: false },
      sessions: { visibility: 'self' },
      // A spawned subagent, should one ever start, gets no tools.
      subagents: { tools: { allow: [] } },
    },
    // No agent client protocol sessions (external coding agents driven from the gateway).
    acp: { enabled: false },
    secrets: {
      providers: {
        [SECRET_PROVIDER_NAME]: {
          source: 'exec',
          command: POD_PATHS.secretProviderNode,
          args: [POD_PATHS.secretProviderScript],
          trustedDirs: [POD_PATHS.secretProviderBinDir],
          timeoutMs: 10000,
          // Pod Identity credentials on EKS; static keys and an endpoint override on the local platform.
          passEnv: [
            'AWS_REGION',
            'AWS_CONTAINER_CREDENTIALS_FULL_URI',
            'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
            'AWS_ACCESS_KEY_ID',
            'AWS_SECRET_ACCESS_KEY',
            'AWS_SESSION_TOKEN',
            'AWS_ENDPOINT_URL_SECRETS_MANAGER',
            'OPENCLAW_TENANT_SECRET_PREFIX',
          ],
        },
      },
    },
    agents: {
      defaults: {
        workspace: POD_PATHS.workspaceDir,
        // `.openclaw/settings.json` in the workspace is agent-writable: it must not configure the agent.
        embeddedAgent: { projectSettingsPolicy: 'ignore' },
        model: {
          primary: modelRef(config.models.primary),
          fallbacks: config.models.fallbacks.map(modelRef),
        },
        models: aliases,
      },
    },
    // An explicit catalog instead of discovery: no ListFoundationModels grant needed, and
    // tenants see exactly the models the platform prices and budgets.
    models: {
      mode: 'replace',
      catalogRefresh: { enabled: false },
      providers: {
        [BEDROCK_PROVIDER]: {
          baseUrl: `https://bedrock-runtime.${config.models.bedrockRegion}.amazonaws.com`,
          api: 'bedrock-converse-stream',
          auth: 'aws-sdk',
          region: config.models.bedrockRegion,
          models: config.models.catalog.map((m) => ({
            id: invocationId(m.alias),
            name: m.alias,
            maxTokens: m.maxTokens,
            cost: { input: m.pricing.inputUsdPerMillionTokens, output: m.pricing.outputUsdPerMillionTokens, cacheRead: 0, cacheWrite: 0 },
          })),
        },
      },
    },
    logging: { consoleStyle: 'json' },
  };
}

/** The config as the file OpenClaw reads (JSON is valid JSON5; stable key order from construction). */
export function renderOpenClawConfig(input: OpenClawConfigInput): string {
  return `${JSON.stringify(buildOpenClawConfig(input), null, 2)}\n`;
}
