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

/** The pinned gateway release this config is written for. */
export const OPENCLAW_VERSION = '2026.9.6';

/**
 * Tools that would let the agent reach around the platform's boundaries: the
 * gateway tool (self-reconfiguration), cron (persistent background work), and
 * session spawning/sending (talking to other sessions). Same list as the reference.
 */
export const DENIED_TOOLS = ['gateway', 'cron', 'sessions_spawn', 'sessions_send'] as const;

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
    },
    tools: {
      profile: 'full',
      deny: [...DENIED_TOOLS],
      fs: { workspaceOnly: true },
      exec: { security: 'deny' },
      elevated: { enabled: false },
    },
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
