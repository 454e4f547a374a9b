/**
 * The platform configuration: one typed object read by the CDK app, the
 * tenant charts, the Lambdas and the local platform. Validation rejects
 * unknown keys and placeholder values and names the offending key.
 */
import { ImageBuild, imageDigestProblem, imageReference, imageTagProblem } from './image-build';
import { MODEL_ALIAS_PATTERN, systemProfileGeography } from './bedrock-models';
import { cidrContains, networkLayout, parseIpv4Cidr } from './cidr';
import { parseEmailAddress } from './email';
import { FieldSpec, SpecValue, def, fieldPerKey, opt, req, validateSpec } from './schema-kit';
import { DEFAULT_IDLE_TIMEOUT_SECONDS, IDLE_TIMEOUT_MAX_SECONDS, idleTimeoutProblem } from './idle-policy';
import { DEFAULT_RUNTIME_TIER, DEFAULT_TENANT_TIER, RUNTIME_TIERS, TENANT_TIERS } from './tiers';
import type { TenantRecord } from './tenant-record';
import { IssueCollector, ValidationError } from './validation';

/** The cluster's Service range unless the config sets one (outside the default VPC range and EKS's own choices). */
export const DEFAULT_SERVICE_IPV4_CIDR = '172.20.0.0/16';

/**
 * Defaults of the settings the functions read from their environment: the
 * schema applies them, and a function started without the variable falls
 * back to the same value.
 */
export const FUNCTION_SETTING_DEFAULTS = {
  confirmationsPerDomainPerHour: 5,
  attemptsPerAddressPerHour: 5,
  attemptsPerHour: 1000,
  commitAuthorName: 'openclaw-provisioner',
  commitAuthorEmail: 'provisioner@openclaw.invalid',
  defaultMonthlyBudgetUsd: 100,
  budgetThresholdsPercent: [80, 100],
  suspendAtLimit: false,
} as const;

/**
 * The Kubernetes minor versions the platform deploys: the config accepts
 * exactly these, and the CDK app pins its kubectl layer (kubectl 1.34, which
 * supports one minor version either side) and every add-on for each of them,
 * so a config that validates also synthesizes.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.33', '1.34', '1.35'] as const;
export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

/** True for a Kubernetes version the platform deploys (one of {@link SUPPORTED_KUBERNETES_VERSIONS}). */
export function isSupportedKubernetesVersion(value: string): value is KubernetesVersion {
  return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(value);
}

/** One catalog model (each key documented in its spec, `MODEL_ENTRY`). */
export type ModelCatalogEntry = SpecValue<typeof MODEL_ENTRY>;
export type ModelPricing = ModelCatalogEntry['pricing'];

/**
 * The validated platform configuration, derived from {@link PLATFORM_CONFIG_SPEC}
 * (each key is documented there), so the type and the validation cannot disagree.
 */
export type PlatformConfig = SpecValue<typeof PLATFORM_CONFIG_SPEC>;

/** The log group the CloudWatch observability add-on sends every container's stdout/stderr to (tenant prompts included). */
export function containerOutputLogGroupName(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/application`;
}

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

const sha512Problem = (v: string): string | undefined =>
  /^[0-9a-f]{128}$/.test(v) ? undefined : 'not a SHA-512 digest (128 lower-case hex digits, as sha512sum prints it)';

/** http is only acceptable on addresses that never leave the machine or a private network. */
function isPrivateHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^(127|10)\.\d+\.\d+\.\d+$/.test(host) || /^192\.168\.\d+\.\d+$/.test(host);
}

function originProblem(v: string): string | undefined {
  const m = /^(https?):\/\/([a-z0-9.-]+)(:\d{1,5})?$/.exec(v);
  if (!m) return 'expected an origin such as https://ai.example.com (scheme and host, no path)';
  if (m[1] === 'http' && !isPrivateHost(m[2] ?? '')) return 'plain http is only allowed for localhost or private addresses';
  return undefined;
}

function originOrUrlProblem(v: string): string | undefined {
  const m = /^(https?:\/\/[a-z0-9.-]+(?::\d{1,5})?)(\/[A-Za-z0-9._~-]+)*$/.exec(v);
  return m ? originProblem(m[1] ?? '') : 'expected an https:// URL';
}

/** https everywhere; plain http only for a repository on this machine or a private network (the local platform). */
function repoUrlProblem(v: string): string | undefined {
  const m = /^(https?):\/\/([a-z0-9.-]+)(:\d{1,5})?\/[A-Za-z0-9._~/-]+$/.exec(v);
  if (!m || v.includes('@')) return 'use an https:// repository URL without credentials in it';
  if (m[1] === 'http' && !isPrivateHost(m[2] ?? '')) return 'plain http is only allowed for localhost or private addresses; use https://';
  return undefined;
}

function trustedCidrProblem(v: string): string | undefined {
  const parsed = parseIpv4Cidr(v);
  if (typeof parsed === 'string') return parsed;
  // Loopback would let any process next to the gateway forge the identity header.
  if (parsed.address.startsWith('127.') || parsed.prefixLength === 0) return 'loopback and 0.0.0.0/0 must never be trusted proxies';
  return undefined;
}

/** The API endpoint may be opened to a few known networks, never to the internet at large. */
function publicApiCidrProblem(v: string): string | undefined {
  const parsed = parseIpv4Cidr(v);
  if (typeof parsed === 'string') return parsed;
  return parsed.prefixLength < 16
    ? 'open the API endpoint to /16 or smaller ranges (your egress addresses), never to the internet'
    : undefined;
}

const regionSpec = {
  kind: 'string',
  check: (v: string) => (AWS_REGION.test(v) ? undefined : 'not an AWS region such as eu-west-1'),
} satisfies FieldSpec;
const emailSpec = {
  kind: 'string',
  check: (v: string) => {
    try {
      parseEmailAddress(v);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  },
} satisfies FieldSpec;

const MODEL_ENTRY = {
  kind: 'object',
  fields: {
    /** Bedrock model or system inference profile id, e.g. `us.anthropic.claude-sonnet-4-6`. */
    id: req({ kind: 'string', check: (v) => (/^[a-z0-9][a-z0-9.:-]{2,127}$/.test(v) ? undefined : 'not a Bedrock model id') }),
    /** Short name used in OpenClaw (`/model sonnet`) and in per-tenant inference profile names. */
    // No "-": profile names are `openclaw-<tenant>-<alias>` and tenant ids contain "-", so a hyphenated
    // alias could make two tenants' profile names collide (`jane` + `x-opus` vs `jane-x` + `opus`).
    alias: req({
      kind: 'string',
      check: (v) => (MODEL_ALIAS_PATTERN.test(v) ? undefined : 'aliases are 1-12 characters a-z and 0-9, starting with a letter (no "-")'),
    }),
    maxTokens: req({ kind: 'number', integer: true, min: 256, max: 200000 }),
    pricing: req({
      kind: 'object',
      fields: {
        /** USD per one million input tokens. */
        inputUsdPerMillionTokens: req({ kind: 'number', min: 0 }),
        /** USD per one million output tokens. */
        outputUsdPerMillionTokens: req({ kind: 'number', min: 0 }),
      },
    }),
  },
} satisfies FieldSpec;

export const PLATFORM_CONFIG_SPEC = {
  kind: 'object',
  fields: {
    /** Prefix of stack and resource names; lower-case, short. */
    platformName: req({
      kind: 'string',
      check: (v) => (NAME.test(v) ? undefined : 'use 3-32 characters a-z, 0-9 and "-", starting with a letter'),
    }),
    aws: req({
      kind: 'object',
      fields: {
        account: req({
          kind: 'string',
          check: (v) => (/^\d{12}$/.test(v) ? undefined : 'an AWS account id is 12 digits (quote it in YAML)'),
        }),
        region: req(regionSpec),
      },
    }),
    domain: req({
      kind: 'object',
      fields: {
        /** Public host name users open, e.g. `ai.example.com`. */
        name: req({ kind: 'string', check: (v) => (DNS_NAME.test(v) ? undefined : 'not a lower-case DNS name such as ai.example.com') }),
        /** ACM certificate in us-east-1 for CloudFront. */
        certificateArn: req({
          kind: 'string',
          check: (v) =>
            /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/.test(v)
              ? undefined
              : 'CloudFront needs an ACM certificate ARN in us-east-1',
        }),
        /** Route 53 hosted zone holding `name`; when set, CDK creates the alias record. */
        hostedZoneId: opt({ kind: 'string', check: (v) => (/^Z[A-Z0-9]{4,32}$/.test(v) ? undefined : 'not a Route 53 hosted zone id') }),
        hostedZoneName: opt({ kind: 'string', check: (v) => (DNS_NAME.test(v) ? undefined : 'not a DNS name') }),
        /**
         * Origin browsers use (CORS, OpenClaw `allowedOrigins`).
         * @default - `https://<name>`; the local platform sets an `http://` origin on a private address.
         */
        publicOrigin: opt({ kind: 'string', check: originProblem }),
      },
    }),
    /**
     * The Cognito user pool and app client the edge verifies tokens against.
     * Known only after the first `cdk deploy` (stack outputs); until then tenant
     * routes cannot be authenticated, so tenant synthesis requires it.
     */
    identity: opt({
      kind: 'object',
      fields: {
        userPoolId: req({
          kind: 'string',
          check: (v) =>
            /^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]{1,}$|^local_[0-9A-Za-z]+$/.test(v)
              ? undefined
              : 'not a Cognito user pool id such as eu-west-1_AbCdEf123',
        }),
        appClientId: req({ kind: 'string', check: (v) => (/^[0-9a-z]{10,128}$/.test(v) ? undefined : 'not a Cognito app client id') }),
        /** @default - `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` (cognito-local has its own) */
        issuerUrl: opt({ kind: 'string', check: originOrUrlProblem }),
      },
    }),
    network: def(
      {
        kind: 'object',
        fields: {
          vpcCidr: def(
            {
              kind: 'string',
              check: (v) => {
                const parsed = parseIpv4Cidr(v);
                if (typeof parsed === 'string') return parsed;
                return parsed.prefixLength > 18 ? 'use /18 or larger: pod subnets need room for prefix delegation' : undefined;
              },
            },
            '10.40.0.0/16',
          ),
          availabilityZones: def({ kind: 'number', integer: true, min: 2, max: 3 }, 2),
          /**
           * The cluster's Service (ClusterIP) range, set on the EKS cluster and
           * excluded from tenant egress. It must not overlap the VPC.
           * @default 172.20.0.0/16
           */
          serviceIpv4Cidr: def(
            {
              kind: 'string',
              check: (v) => {
                const parsed = parseIpv4Cidr(v);
                if (typeof parsed === 'string') return parsed;
                // EKS accepts a /12 to /24 range for Services.
                return parsed.prefixLength < 12 || parsed.prefixLength > 24 ? 'use a range between /12 and /24 (EKS)' : undefined;
              },
            },
            DEFAULT_SERVICE_IPV4_CIDR,
          ),
        },
      },
      {},
    ),
    cluster: req({
      kind: 'object',
      fields: {
        name: req({ kind: 'string', check: (v) => (NAME.test(v) ? undefined : 'use 3-32 characters a-z, 0-9 and "-"') }),
        kubernetesVersion: def({ kind: 'string', enum: SUPPORTED_KUBERNETES_VERSIONS }, '1.33'),
        /** IAM principals granted cluster-admin through EKS access entries. */
        adminPrincipalArns: def(
          {
            kind: 'array',
            unique: true,
            items: { kind: 'string', check: (v) => (IAM_PRINCIPAL_ARN.test(v) ? undefined : 'not an IAM role or user ARN') },
          },
          [],
        ),
        /**
         * Public networks (e.g. the company's egress addresses) that may reach the
         * Kubernetes API endpoint; EKS access entries still decide who is let in.
         * @default - the endpoint is private: reachable only from inside the VPC (docs/adr/0120)
         */
        publicApiAccessCidrs: opt({ kind: 'array', minItems: 1, unique: true, items: { kind: 'string', check: publicApiCidrProblem } }),
      },
    }),
    image: req({
      kind: 'object',
      fields: {
        repository: req({
          kind: 'string',
          check: (v) =>
            /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/.test(v) ? undefined : 'not an image repository such as ghcr.io/openclaw/openclaw',
        }),
        tag: req({ kind: 'string', check: imageTagProblem }),
        /**
         * The content digest of the image `tag` names (`sha256:…`, from the
         * registry after `cdk deploy` pushed the tenant image). Tenants then run
         * `<repository>:<tag>@<digest>`: a tag pushed again cannot change what
         * runs, and admission accepts that exact image only.
         * @default - the tag alone (synth warns for a real platform)
         */
        digest: opt({
          kind: 'string',
          check: imageDigestProblem,
        }),
      },
    }),
    models: req({
      kind: 'object',
      fields: {
        bedrockRegion: req(regionSpec),
        /** Alias of the primary model. */
        primary: req({ kind: 'string' }),
        /** Aliases of fallback models, in order. */
        fallbacks: def({ kind: 'array', unique: true, items: { kind: 'string' } }, []),
        catalog: req({ kind: 'array', minItems: 1, items: MODEL_ENTRY }),
      },
    }),
    signup: req({
      kind: 'object',
      fields: {
        /** Exact e-mail domains allowed to sign up; `*` allows any domain. */
        allowedEmailDomains: req({
          kind: 'array',
          minItems: 1,
          unique: true,
          items: {
            kind: 'string',
            check: (v) =>
              v === '*' || DNS_NAME.test(v) ? undefined : 'use an exact lower-case domain such as example.com, or "*" for any',
          },
        }),
        selfSignUpEnabled: def({ kind: 'boolean' }, true),
        /** Confirmed sign-ups admitted per e-mail domain per hour. */
        confirmationsPerDomainPerHour: def(
          { kind: 'number', integer: true, min: 1, max: 10000 },
          FUNCTION_SETTING_DEFAULTS.confirmationsPerDomainPerHour,
        ),
        /** Sign-up attempts admitted per e-mail address per hour (stops one user from spamming codes). */
        attemptsPerAddressPerHour: def(
          { kind: 'number', integer: true, min: 1, max: 100 },
          FUNCTION_SETTING_DEFAULTS.attemptsPerAddressPerHour,
        ),
        /**
         * Sign-up attempts admitted per hour across the whole platform, every
         * address and domain together: a burst limit on the verification
         * e-mails a flood of sign-ups (many addresses, many allowed domains)
         * would send and on the tenants it could claim.
         */
        attemptsPerHour: def({ kind: 'number', integer: true, min: 10, max: 1000000 }, FUNCTION_SETTING_DEFAULTS.attemptsPerHour),
        /** Capacity guard: no new tenants beyond this many active ones. */
        maxTenants: def({ kind: 'number', integer: true, min: 1, max: 100000 }, 1000),
        /** `required` makes every user enrol a TOTP authenticator (the auth UI needs an enrolment step first); `optional` lets each user choose. */
        mfa: def({ kind: 'string', enum: ['off', 'optional', 'required'] }, 'optional'),
        /**
         * Cognito threat protection (Plus feature plan, billed per monthly active user):
         * `audit` records risky sign-ins, `enforced` also blocks them or asks for MFA.
         * @default 'off'
         */
        threatProtection: def({ kind: 'string', enum: ['off', 'audit', 'enforced'] }, 'off'),
        /**
         * Cognito rotates the refresh token on every use. The edge session
         * endpoint must then refresh with GetTokensFromRefreshToken (InitiateAuth
         * REFRESH_TOKEN_AUTH is refused for such clients), so this stays off until it does.
         * @default false
         */
        refreshTokenRotation: def({ kind: 'boolean' }, false),
        /**
         * Lifetime in minutes of the ID and access tokens. Envoy verifies the
         * ID token without a revocation list, so this bounds how long a copied
         * session token still opens the workspace after its owner signed out;
         * a page load after expiry renews it silently through the session
         * endpoint (the refresh token never reaches page script). Cognito's
         * minimum is 5.
         * @default 5
         */
        sessionTokenMinutes: def({ kind: 'number', integer: true, min: 5, max: 60 }, 5),
        /** Requests to the user pool's API per source address per 5 minutes before its regional WAF blocks the address. */
        signInRateLimitPer5Minutes: def({ kind: 'number', integer: true, min: 10, max: 2000000000 }, 500),
        /**
         * Sends Cognito's e-mails (verification codes, password resets) through
         * Amazon SES from this address. Cognito's own sender allows about 50
         * e-mails a day, too few for a company's sign-up wave.
         * @default - Cognito's sender (synth warns)
         */
        emailSender: opt({
          kind: 'object',
          fields: {
            fromAddress: req(emailSpec),
            /** The SES-verified domain the address belongs to. @default - the address itself is the verified identity */
            sesVerifiedDomain: opt({ kind: 'string', check: (v) => (DNS_NAME.test(v) ? undefined : 'not a DNS name') }),
            /** @default - aws.region */
            sesRegion: opt(regionSpec),
          },
        }),
      },
    }),
    gitops: req({
      kind: 'object',
      fields: {
        /** HTTPS URL of the repository Argo CD reads and the provisioner writes. */
        repoUrl: req({ kind: 'string', check: repoUrlProblem }),
        branch: def(
          {
            kind: 'string',
            check: (v) => (/^[A-Za-z0-9._/-]{1,100}$/.test(v) && !v.includes('..') ? undefined : 'not a valid branch name'),
          },
          'main',
        ),
        /**
         * The revision (a commit id or a protected tag) Argo CD deploys
         * `deploy/platform` from. The Lambdas' Git credential can push to
         * `branch`, and the platform Application may change AppProjects and
         * cluster-wide objects, so pinning it keeps that credential from reaching
         * beyond tenant folders (docs/adr/0005).
         * @default - `branch` (synth warns)
         */
        platformRevision: opt({
          kind: 'string',
          check: (v) => (/^[A-Za-z0-9._/-]{1,100}$/.test(v) && !v.includes('..') ? undefined : 'not a commit id or tag name'),
        }),
        /** Secrets Manager name of the Git credential used by the provisioner (`{"username","password"}`). */
        credentialsSecretName: def(
          { kind: 'string', check: (v) => (/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(v) ? undefined : 'not a Secrets Manager name') },
          'openclaw/platform/gitops-credentials',
        ),
        /**
         * Secrets Manager name of the credential Argo CD reads the repository with
         * (`{"username","password"}`); a read-only token keeps write access out of the cluster.
         * @default - `credentialsSecretName`
         */
        argoCdCredentialsSecretName: opt({
          kind: 'string',
          check: (v) => (/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(v) ? undefined : 'not a Secrets Manager name'),
        }),
        commitAuthorName: def({ kind: 'string' }, FUNCTION_SETTING_DEFAULTS.commitAuthorName),
        commitAuthorEmail: def(emailSpec, FUNCTION_SETTING_DEFAULTS.commitAuthorEmail),
      },
    }),
    budgets: def(
      {
        kind: 'object',
        fields: {
          defaultMonthlyUsd: def({ kind: 'number', min: 0 }, FUNCTION_SETTING_DEFAULTS.defaultMonthlyBudgetUsd),
          alertThresholdsPercent: def(
            { kind: 'array', minItems: 1, unique: true, items: { kind: 'number', integer: true, min: 1, max: 1000 } },
            [...FUNCTION_SETTING_DEFAULTS.budgetThresholdsPercent],
          ),
          /** Suspend a tenant (GitOps status change) once it reaches 100 % of its budget. */
          suspendAtLimit: def({ kind: 'boolean' }, FUNCTION_SETTING_DEFAULTS.suspendAtLimit),
          alertEmails: def({ kind: 'array', unique: true, items: emailSpec }, []),
        },
      },
      {},
    ),
    backup: def(
      {
        kind: 'object',
        fields: {
          retentionDays: def({ kind: 'number', integer: true, min: 1, max: 36500 }, 35),
          /**
           * A vault in another account that every recovery point is copied to. Without
           * it the copy goes to a vault of this account under a compliance-mode Vault
           * Lock, which nobody (account root included) can shorten or remove.
           * @default - a compliance-locked vault in this account
           */
          copyToVaultArn: opt({
            kind: 'string',
            check: (v) =>
              /^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/.test(v)
                ? undefined
                : 'not a backup vault ARN such as arn:aws:backup:eu-west-1:222222222222:backup-vault:openclaw-copy',
          }),
        },
      },
      {},
    ),
    edge: def(
      {
        kind: 'object',
        fields: {
          wafRateLimitPer5Minutes: def({ kind: 'number', integer: true, min: 10, max: 2000000000 }, 2000),
          botControl: def({ kind: 'boolean' }, false),
          /**
           * Addresses OpenClaw trusts to set identity headers (its `gateway.trustedProxies`).
           * Never loopback: any process in the pod could then forge the identity.
           * @default - the VPC CIDR (the NetworkPolicy admits only the edge namespace)
           */
          trustedProxyCidrs: opt({ kind: 'array', minItems: 1, unique: true, items: { kind: 'string', check: trustedCidrProblem } }),
        },
      },
      {},
    ),
    observability: def(
      {
        kind: 'object',
        fields: {
          logRetentionDays: def({ kind: 'number', integer: true, min: 1, max: 3653 }, 90),
          auditLogRetentionDays: def({ kind: 'number', integer: true, min: 1, max: 3653 }, 365),
        },
      },
      {},
    ),
    tenantDefaults: def(
      {
        kind: 'object',
        fields: {
          tier: def({ kind: 'string', enum: TENANT_TIERS }, DEFAULT_TENANT_TIER),
          runtime: def({ kind: 'string', enum: RUNTIME_TIERS }, DEFAULT_RUNTIME_TIER),
        },
      },
      {},
    ),
    /** Idle suspend (docs/adr/0700). */
    idle: def(
      {
        kind: 'object',
        fields: {
          /** Seconds without a request, an open WebSocket or running work before a tenant's gateway stops, per tier; 0 = never. */
          timeoutSeconds: def(
            {
              kind: 'object',
              fields: fieldPerKey(TENANT_TIERS, (tier) =>
                def({ kind: 'number', integer: true, min: 0, max: IDLE_TIMEOUT_MAX_SECONDS }, DEFAULT_IDLE_TIMEOUT_SECONDS[tier]),
              ),
            },
            {},
          ),
          /** Gateways' worth of room kept free by evictable placeholder pods, so this many wakes at once need no new node. */
          headroomGateways: def({ kind: 'number', integer: true, min: 0, max: 1000 }, 2),
        },
      },
      {},
    ),
    security: def(
      {
        kind: 'object',
        fields: {
          /**
           * The one IAM role that may schedule key deletion, disable keys, change key
           * policies, read tenant container output and redrive job queues. Its use is
           * meant to need two people (held apart from everyday admin roles).
           * @default - `arn:aws:iam::<aws.account>:role/<platformName>-break-glass`
           */
          breakGlassRoleArn: opt({
            kind: 'string',
            check: (v) => (/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(v) ? undefined : 'not an IAM role ARN'),
          }),
          /** GuardDuty EKS protection with runtime monitoring (agent managed by GuardDuty) in the platform region. */
          guardDutyRuntimeMonitoring: def({ kind: 'boolean' }, true),
          /**
           * SHA-512 digests (hex) of the pinned gVisor release's arm64 binaries, read once from a trusted machine
           * (`sha512sum runsc containerd-shim-runsc-v1` of the release files). Nodes then refuse binaries that do
           * not match them; the release's own `.sha512` files, fetched from the same URL as the binaries, catch a
           * corrupt download only.
           * @default - the release's `.sha512` files only (synth warns)
           */
          gvisorSha512: opt({
            kind: 'object',
            fields: {
              runsc: req({ kind: 'string', check: sha512Problem }),
              containerdShimRunscV1: req({ kind: 'string', check: sha512Problem }),
            },
          }),
        },
      },
      {},
    ),
  },
} satisfies FieldSpec;

/**
 * Validates raw config (already parsed from YAML/JSON) and returns it with
 * defaults applied. Throws {@link ValidationError} listing every problem.
 */
export function parsePlatformConfig(raw: unknown, source = 'platform config'): PlatformConfig {
  const issues = new IssueCollector();
  const value = validateSpec(PLATFORM_CONFIG_SPEC, raw, '', issues);
  issues.throwIfAny(source);
  checkModelReferences(value, issues);
  checkModelRegions(value, issues);
  checkDomainZone(value, issues);
  checkServiceRange(value, issues);
  checkIdleTimeouts(value, issues);
  issues.throwIfAny(source);
  return value;
}

function checkModelReferences(config: PlatformConfig, issues: IssueCollector): void {
  const aliases = config.models.catalog.map((m) => m.alias);
  config.models.catalog.forEach((m, i) => {
    if (aliases.indexOf(m.alias) !== i) issues.add(`models.catalog[${i}].alias`, `alias "${m.alias}" is used twice`);
  });
  if (!aliases.includes(config.models.primary)) {
    issues.add('models.primary', `"${config.models.primary}" is not an alias in models.catalog (${aliases.join(', ')})`);
  }
  config.models.fallbacks.forEach((f, i) => {
    if (!aliases.includes(f)) issues.add(`models.fallbacks[${i}]`, `"${f}" is not an alias in models.catalog`);
    if (f === config.models.primary) issues.add(`models.fallbacks[${i}]`, 'the primary model cannot also be a fallback');
  });
}

function checkModelRegions(config: PlatformConfig, issues: IssueCollector): void {
  config.models.catalog.forEach((m, i) => {
    const geography = systemProfileGeography(m.id);
    if (geography && !config.models.bedrockRegion.startsWith(geography.regionPrefix)) {
      issues.add(
        `models.catalog[${i}].id`,
        `the cross-region profile "${m.id}" can only be called from a ${geography.regionPrefix}* region, but models.bedrockRegion is ${config.models.bedrockRegion}`,
      );
    }
  });
}

function checkIdleTimeouts(config: PlatformConfig, issues: IssueCollector): void {
  for (const tier of TENANT_TIERS) {
    const problem = idleTimeoutProblem(config.idle.timeoutSeconds[tier]);
    if (problem) issues.add(`idle.timeoutSeconds.${tier}`, problem);
  }
}

function checkServiceRange(config: PlatformConfig, issues: IssueCollector): void {
  const { vpcCidr, serviceIpv4Cidr } = config.network;
  const [vpcAddress, serviceAddress] = [vpcCidr, serviceIpv4Cidr].map((c) => c.split('/')[0] ?? '');
  if (cidrContains(vpcCidr, serviceAddress as string) || cidrContains(serviceIpv4Cidr, vpcAddress as string)) {
    issues.add(
      'network.serviceIpv4Cidr',
      `"${serviceIpv4Cidr}" overlaps network.vpcCidr "${vpcCidr}"; Services and pods need separate ranges`,
    );
  }
}

function checkDomainZone(config: PlatformConfig, issues: IssueCollector): void {
  const { hostedZoneId, hostedZoneName, name } = config.domain;
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    issues.add('domain', 'set both hostedZoneId and hostedZoneName, or neither');
  }
  if (hostedZoneName && name !== hostedZoneName && !name.endsWith(`.${hostedZoneName}`)) {
    issues.add('domain.hostedZoneName', `"${name}" is not inside the zone "${hostedZoneName}"`);
  }
}

/** The origin browsers use for this platform. */
export function publicOrigin(config: PlatformConfig): string {
  return config.domain.publicOrigin ?? `https://${config.domain.name}`;
}

/**
 * The addresses allowed to assert identity to tenant gateways: by default the
 * private subnets, where the edge's data-plane pods get their addresses (the
 * VPC CNI gives pods subnet addresses); the tenant NetworkPolicy narrows it to
 * the edge pods themselves.
 */
export function trustedProxyCidrs(config: PlatformConfig): readonly string[] {
  return config.edge.trustedProxyCidrs ?? networkLayout(config.network.vpcCidr, config.network.availabilityZones).privateSubnetCidrs;
}

export interface IdentityEndpoints {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly audience: string;
}

/** Issuer, JWKS and audience the edge verifies ID tokens against; throws if the pool is not configured yet. */
export function identityEndpoints(config: PlatformConfig): IdentityEndpoints {
  if (!config.identity) {
    throw new ValidationError('platform config', [
      {
        path: 'identity',
        message: 'is required to authenticate tenant routes; copy UserPoolId and AppClientId from the outputs of the control-plane stack',
      },
    ]);
  }
  const issuer = config.identity.issuerUrl ?? `https://cognito-idp.${config.aws.region}.amazonaws.com/${config.identity.userPoolId}`;
  return { issuer, jwksUri: `${issuer}/.well-known/jwks.json`, audience: config.identity.appClientId };
}

/** The catalog entry for an alias (validated config guarantees it exists for primary/fallbacks). */
export function modelByAlias(config: PlatformConfig, alias: string): ModelCatalogEntry {
  const found = config.models.catalog.find((m) => m.alias === alias);
  if (!found) throw new ValidationError('platform config', [{ path: 'models', message: `no model with alias "${alias}"` }]);
  return found;
}

/**
 * The image tenant gateways run: `<repository>:<tag>`, pinned to its content
 * with `@<digest>` when `image.digest` is set (the tag then only names it).
 */
export function tenantImageReference(image: PlatformConfig['image']): string {
  return imageReference(image.repository, platformImageBuild(image));
}

/** The build a tenant runs: its record's `image` when set, else the platform image. */
export function tenantImageBuild(record: Pick<TenantRecord, 'image'>, image: PlatformConfig['image']): ImageBuild {
  if (!record.image) return platformImageBuild(image);
  const { tag, digest } = record.image;
  return { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The platform image as a build (tag, and digest when pinned). */
export function platformImageBuild(image: PlatformConfig['image']): ImageBuild {
  return image.digest ? { tag: image.tag, digest: image.digest } : { tag: image.tag };
}
