/**
 * Tenant id rules. A tenant id is the one identifier every other name is
 * derived from (namespace, service account, secret ids, route path, EFS root),
 * so it is deliberately stricter than a plain DNS-1123 label.
 */

/** Longest id: leaves room for `openclaw-` and the longest suffix of any derived name (see names.ts). */
export const MAX_TENANT_ID_LENGTH = 40;
export const MIN_TENANT_ID_LENGTH = 2;

/**
 * Ids that would collide with platform namespaces, URL paths of the auth UI or
 * well-known Kubernetes names. Kept as exact words; prefixes are below.
 */
export const RESERVED_TENANT_IDS: readonly string[] = [
  'admin',
  'administrator',
  'api',
  'argocd',
  'assets',
  'auth',
  'cert-manager',
  'default',
  'edge',
  'envoy-gateway-system',
  'external-secrets',
  'gateway',
  'health',
  'healthz',
  'karpenter',
  'keda',
  'kube-node-lease',
  'kube-public',
  'kube-system',
  'openclaw',
  'platform',
  'privacy',
  'readyz',
  'root',
  'signin',
  'signout',
  'signup',
  'static',
  'status',
  'support',
  'system',
  'terms',
  'test',
  'www',
];

/**
 * Prefixes reserved for Kubernetes (`kube-`), the platform's own namespaces
 * (`openclaw-`) and AWS-reserved tag values (`aws-`). IDNA punycode (`xn--`, a
 * homograph vector) is already refused by the double-hyphen rule.
 */
export const RESERVED_TENANT_ID_PREFIXES: readonly string[] = ['kube-', 'openclaw-', 'aws-'];

const TENANT_ID_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export type TenantIdProblem =
  | 'empty'
  | 'too-short'
  | 'too-long'
  | 'not-ascii'
  | 'bad-characters'
  | 'must-start-with-letter'
  | 'must-end-alphanumeric'
  | 'double-hyphen'
  | 'reserved';

/** Thrown for an id that breaks a rule; `problem` is machine-readable, the message is for humans. */
export class InvalidTenantIdError extends Error {
  constructor(
    public readonly id: string,
    public readonly problem: TenantIdProblem,
    detail: string,
  ) {
    super(`invalid tenant id ${JSON.stringify(id)}: ${detail}`);
    this.name = 'InvalidTenantIdError';
  }
}

/** Returns why `id` is not a valid tenant id, or undefined when it is. */
export function tenantIdProblem(id: string): { problem: TenantIdProblem; detail: string } | undefined {
  if (id.length === 0) return { problem: 'empty', detail: 'it is empty' };
  if (/[^\x00-\x7f]/.test(id)) {
    return { problem: 'not-ascii', detail: 'only ASCII a-z, 0-9 and "-" are allowed (look-alike letters from other scripts are refused)' };
  }
  if (id.length < MIN_TENANT_ID_LENGTH) {
    return { problem: 'too-short', detail: `it must be at least ${MIN_TENANT_ID_LENGTH} characters` };
  }
  if (id.length > MAX_TENANT_ID_LENGTH) {
    return {
      problem: 'too-long',
      detail: `it has ${id.length} characters; at most ${MAX_TENANT_ID_LENGTH} keep every derived name within 63`,
    };
  }
  if (/[^a-z0-9-]/.test(id)) {
    return { problem: 'bad-characters', detail: 'only lower-case a-z, 0-9 and "-" are allowed' };
  }
  if (!/^[a-z]/.test(id)) return { problem: 'must-start-with-letter', detail: 'it must start with a letter a-z' };
  if (!/[a-z0-9]$/.test(id)) return { problem: 'must-end-alphanumeric', detail: 'it must end with a letter or digit' };
  if (id.includes('--')) return { problem: 'double-hyphen', detail: 'it must not contain "--"' };
  if (RESERVED_TENANT_IDS.includes(id)) return { problem: 'reserved', detail: 'it is reserved for the platform' };
  const prefix = RESERVED_TENANT_ID_PREFIXES.find((p) => id.startsWith(p));
  if (prefix) return { problem: 'reserved', detail: `the prefix "${prefix}" is reserved` };
  // Belt and braces: the rules above imply the DNS-1123 label pattern.
  if (!TENANT_ID_PATTERN.test(id)) return { problem: 'bad-characters', detail: 'it is not a DNS-1123 label' };
  return undefined;
}

export function isValidTenantId(id: string): boolean {
  return tenantIdProblem(id) === undefined;
}

/** Validates and returns `id` unchanged; throws {@link InvalidTenantIdError} otherwise. */
export function assertTenantId(id: unknown): string {
  if (typeof id !== 'string') {
    throw new InvalidTenantIdError(String(id), 'empty', `expected a string, got ${typeof id}`);
  }
  const found = tenantIdProblem(id);
  if (found) throw new InvalidTenantIdError(id, found.problem, found.detail);
  return id;
}
