/**
 * Resource tiers and runtime tiers. A tier is a preset, not free-form numbers,
 * so that quota, container sizing and scheduling always agree with each other.
 */

export const TENANT_TIERS = ['standard', 'large'] as const;
export type TenantTier = (typeof TENANT_TIERS)[number];
export const DEFAULT_TENANT_TIER: TenantTier = 'standard';

export const RUNTIME_TIERS = ['runc', 'gvisor'] as const;
export type RuntimeTier = (typeof RUNTIME_TIERS)[number];
/**
 * gVisor by default: a kernel exploit in a tenant container then meets the
 * sandbox's own kernel first, not the node's (docs/adr/0111). runc is an
 * explicit per-tenant choice (`runtime: runc` in the tenant record).
 */
export const DEFAULT_RUNTIME_TIER: RuntimeTier = 'gvisor';

/** Kubernetes quantities as strings, exactly as they appear in manifests. */
export interface TierResources {
  /** Namespace ResourceQuota. */
  readonly quota: {
    readonly limitsCpu: string;
    readonly limitsMemory: string;
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly pods: number;
    readonly persistentVolumeClaims: number;
  };
  /** The gateway container. Requests cover OpenClaw's measured ~1 GiB RSS (main process plus two workers). */
  readonly gateway: {
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly limitsCpu: string;
    readonly limitsMemory: string;
  };
  /** V8 old-space cap, below the memory limit so the process fails soft (GC) before the kernel OOM-kills it. */
  readonly nodeMaxOldSpaceMiB: number;
  /** Size requested for the workspace volume (EFS is elastic; the request documents intent). */
  readonly storage: string;
  /** LimitRange defaults for any other container in the namespace. */
  readonly containerDefaults: {
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly limitsCpu: string;
    readonly limitsMemory: string;
  };
}

export const TIER_RESOURCES: Readonly<Record<TenantTier, TierResources>> = {
  // One gateway with room for the tools it starts: limits 4 CPU / 8 GiB, at most 10 pods.
  standard: {
    quota: { limitsCpu: '4', limitsMemory: '8Gi', requestsCpu: '2', requestsMemory: '4Gi', pods: 10, persistentVolumeClaims: 2 },
    gateway: { requestsCpu: '250m', requestsMemory: '1280Mi', limitsCpu: '2', limitsMemory: '2Gi' },
    nodeMaxOldSpaceMiB: 1536,
    storage: '10Gi',
    containerDefaults: { requestsCpu: '100m', requestsMemory: '128Mi', limitsCpu: '500m', limitsMemory: '512Mi' },
  },
  large: {
    quota: { limitsCpu: '8', limitsMemory: '16Gi', requestsCpu: '4', requestsMemory: '8Gi', pods: 10, persistentVolumeClaims: 2 },
    gateway: { requestsCpu: '500m', requestsMemory: '2Gi', limitsCpu: '4', limitsMemory: '4Gi' },
    nodeMaxOldSpaceMiB: 3072,
    storage: '50Gi',
    containerDefaults: { requestsCpu: '100m', requestsMemory: '128Mi', limitsCpu: '1', limitsMemory: '1Gi' },
  },
};

export interface RuntimeTierSpec {
  /** `runtimeClassName` of the pod; undefined means the node's default (runc). */
  readonly runtimeClassName?: string;
  /** Node label/taint key and value that dedicate nodes to this runtime. */
  readonly nodeTaint?: { readonly key: string; readonly value: string };
}

export const RUNTIME_TIER_SPECS: Readonly<Record<RuntimeTier, RuntimeTierSpec>> = {
  runc: {},
  // Tainted nodes with runsc installed, selected through the RuntimeClass.
  gvisor: { runtimeClassName: 'gvisor', nodeTaint: { key: 'openclaw.io/runtime', value: 'gvisor' } },
};

export function isTenantTier(value: unknown): value is TenantTier {
  return typeof value === 'string' && (TENANT_TIERS as readonly string[]).includes(value);
}

export function isRuntimeTier(value: unknown): value is RuntimeTier {
  return typeof value === 'string' && (RUNTIME_TIERS as readonly string[]).includes(value);
}
