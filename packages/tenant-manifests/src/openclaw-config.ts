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
  PlatformConfig,
  POD_PATHS,
  TenantRecord,
  modelByAlias,
  publicOrigin,
  tenantNames,
  trustedProxyCidrs,
} from '@openclaw-tenancy/shared';

/** The pinned gateway release this config is written for. */
export const OPENCLAW_VERSION = '2026.9.6';

/**
 * Scopes a signed-in owner gets. `operator.admin` is deliberately absent: with
 * it the tenant could rewrite tools policy (`config.patch`), pair devices and
 * open a host terminal. Verified: without it `config.*` writes return MISSING_SCOPE.
 */
export const OWNER_SCOPES = ['operator.read', 'operator.write', 'operator.approvals', 'operator.questions'] as const;

/**
 * Tools that would let the agent reach around the platform's boundaries: the
 * gateway tool (self-reconfiguration), cron (persistent background work), and
 * session spawning/sending (talking to other sessions). Same list as the reference.
 */
export const DENIED_TOOLS = ['gateway', 'cron', 'sessions_spawn', 'sessions_send'] as const;

/** Name of the exec secret provider that resolves the tenant's Secrets Manager entries. */
export const SECRET_PROVIDER_NAME = 'tenant';

/** Absolute path of Node.js in the OpenClaw image; OpenClaw requires an absolute provider command. */
export const IMAGE_NODE_BINARY = '/usr/local/bin/node';

export interface OpenClawConfigInput {
  readonly record: TenantRecord;
  readonly config: PlatformConfig;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type OpenClawConfig = { [key: string]: JsonValue };

export function buildOpenClawConfig({ record, config }: OpenClawConfigInput): OpenClawConfig {
  const names = tenantNames(record.id);
  const primary = modelByAlias(config, config.models.primary);
  const modelRef = (id: string): string => `amazon-bedrock/${id}`;
  const models: { [ref: string]: JsonValue } = {};
  for (const entry of config.models.catalog) {
    models[modelRef(entry.id)] = { alias: entry.alias, params: { maxTokens: entry.maxTokens } };
  }
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
          deviceAutoApprove: { enabled: true, scopes: [...OWNER_SCOPES] },
        },
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
          command: IMAGE_NODE_BINARY,
          args: [POD_PATHS.secretProviderScript],
          timeoutMs: 10000,
          passEnv: ['AWS_REGION', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'OPENCLAW_TENANT_SECRET_PREFIX'],
        },
      },
    },
    agents: {
      defaults: {
        workspace: POD_PATHS.workspaceDir,
        model: {
          primary: modelRef(primary.id),
          fallbacks: config.models.fallbacks.map((alias) => modelRef(modelByAlias(config, alias).id)),
        },
        models,
      },
    },
    models: { bedrockDiscovery: { enabled: true, region: config.models.bedrockRegion } },
  };
}

/** The config as the file OpenClaw reads (JSON is valid JSON5; stable key order from construction). */
export function renderOpenClawConfig(input: OpenClawConfigInput): string {
  return `${JSON.stringify(buildOpenClawConfig(input), null, 2)}\n`;
}
