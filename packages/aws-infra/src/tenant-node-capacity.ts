/**
 * How many tenant gateways a node holds, and so how many nodes
 * `signup.maxTenants` needs: the node groups are sized from this (or checked
 * against it) so the capacity guard and the cluster agree.
 */
import { RUNTIME_TIER_SPECS, RuntimeTier, TIER_RESOURCES, TenantTier } from '@openclaw-tenancy/shared';

/** Memory of the Graviton instance types the node groups may use, MiB (EC2 instance type specifications). */
export const GRAVITON_INSTANCE_MEMORY_MIB: Readonly<Record<string, number>> = {
  't4g.large': 8192,
  't4g.xlarge': 16384,
  'm6g.xlarge': 16384,
  'm7g.xlarge': 16384,
  'm6g.2xlarge': 32768,
  'm7g.2xlarge': 32768,
  'r6g.xlarge': 32768,
  'r7g.xlarge': 32768,
  'm7g.4xlarge': 65536,
};

/** vCPUs of the same instance types (EC2 instance type specifications); EC2's On-Demand quota counts these. */
export const GRAVITON_INSTANCE_VCPUS: Readonly<Record<string, number>> = {
  't4g.large': 2,
  't4g.xlarge': 4,
  'm6g.xlarge': 4,
  'm7g.xlarge': 4,
  'm6g.2xlarge': 8,
  'm7g.2xlarge': 8,
  'r6g.xlarge': 4,
  'r7g.xlarge': 4,
  'm7g.4xlarge': 16,
};

/**
 * Memory the node keeps from pods: the EKS AL2023 AMI reserves
 * 255 MiB + 11 MiB per pod of maxPods for the kubelet and runtime
 * (kube-reserved), plus the kubelet's 100 MiB hard eviction threshold.
 */
export function reservedMemoryMiB(maxPods: number): number {
  return 255 + 11 * maxPods + 100;
}

/**
 * Requests of the daemon sets on every tenant node (VPC CNI, kube-proxy, Pod
 * Identity agent, EFS CSI node, CloudWatch agent and Fluent Bit), rounded up.
 */
export const NODE_DAEMONSET_MEMORY_MIB = 768;
export const NODE_DAEMONSET_PODS = 6;

/** The gVisor RuntimeClass's fixed per-pod overhead (the sandbox's own footprint). */
export const GVISOR_POD_OVERHEAD_MIB = 128;

/** EKS quota "Nodes per managed node group" (not adjustable). */
export const MAX_NODES_PER_MANAGED_NODE_GROUP = 450;

/** Kubernetes CPU quantity (`250m`, `2`) in cores. */
export function quantityCores(quantity: string): number {
  const m = /^(\d+)(m?)$/.exec(quantity);
  if (!m) throw new Error(`cpu quantity "${quantity}" is not in cores or millicores`);
  return Number(m[1]) / (m[2] === 'm' ? 1000 : 1);
}

/** Kubernetes memory quantity (`1280Mi`, `2Gi`) in MiB. */
export function quantityMiB(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`memory quantity "${quantity}" is not in Mi or Gi`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

export interface TenantNodeCapacityInput {
  readonly instanceTypes: readonly string[];
  readonly maxPods: number;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
}

/** Tenant gateways of one tier that fit on the smallest instance type of a group. */
export function tenantsPerNode(input: TenantNodeCapacityInput): number {
  const memories = input.instanceTypes.map((t) => {
    const mib = GRAVITON_INSTANCE_MEMORY_MIB[t];
    if (mib === undefined)
      throw new Error(
        `instance type ${t} has no known memory; add it to GRAVITON_INSTANCE_MEMORY_MIB (${Object.keys(GRAVITON_INSTANCE_MEMORY_MIB).join(', ')})`,
      );
    return mib;
  });
  const overhead = RUNTIME_TIER_SPECS[input.runtime].runtimeClassName ? GVISOR_POD_OVERHEAD_MIB : 0;
  const perTenant = quantityMiB(TIER_RESOURCES[input.tier].gateway.requestsMemory) + overhead;
  const forTenants = Math.min(...memories) - reservedMemoryMiB(input.maxPods) - NODE_DAEMONSET_MEMORY_MIB;
  return Math.max(0, Math.min(Math.floor(forTenants / perTenant), input.maxPods - NODE_DAEMONSET_PODS));
}

/** Nodes a group needs to hold `maxTenants` gateways of one tier. */
export function nodesForTenants(maxTenants: number, input: TenantNodeCapacityInput): number {
  const perNode = tenantsPerNode(input);
  if (perNode === 0) throw new Error(`a ${input.instanceTypes.join('/')} node holds no ${input.tier} tenant; use larger instance types`);
  return Math.ceil(maxTenants / perNode);
}

export interface NodeGroupCapacity {
  /** Graviton instance types, largest-preferred first. */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  /** kubelet maxPods on these nodes. */
  readonly maxPods: number;
}

/** The tenants the cluster must hold: `signup.maxTenants` on the default tier and runtime. */
export interface TenantCapacity {
  readonly maxTenants: number;
  readonly tier: TenantTier;
  readonly runtime: RuntimeTier;
}

/** The node groups' shapes when the props leave them out (the default tenant group's maximum is then derived from `tenantCapacity`). */
export const DEFAULT_NODE_GROUP_CAPACITY = {
  system: { instanceTypes: ['t4g.large'], minSize: 2, maxSize: 3, maxPods: 110 },
  runc: { instanceTypes: ['m7g.xlarge', 'm6g.xlarge'], minSize: 1, maxSize: 20, maxPods: 110 },
  gvisor: { instanceTypes: ['m7g.xlarge', 'm6g.xlarge'], minSize: 1, maxSize: 10, maxPods: 30 },
} satisfies Record<string, NodeGroupCapacity>;

/**
 * The capacity of each node group for `tenants`: what the construct creates,
 * and what an operator check (EC2 vCPU quota) must allow at the maxima.
 */
export function nodeGroupCapacities(
  tenants: TenantCapacity,
  given: { readonly system?: NodeGroupCapacity; readonly runc?: NodeGroupCapacity; readonly gvisor?: NodeGroupCapacity } = {},
): { readonly system: NodeGroupCapacity; readonly runc: NodeGroupCapacity; readonly gvisor: NodeGroupCapacity } {
  return {
    system: given.system ?? DEFAULT_NODE_GROUP_CAPACITY.system,
    runc: tenantGroupCapacity('TenantRunc', 'runc', given.runc, DEFAULT_NODE_GROUP_CAPACITY.runc, tenants),
    gvisor: tenantGroupCapacity('TenantGvisor', 'gvisor', given.gvisor, DEFAULT_NODE_GROUP_CAPACITY.gvisor, tenants),
  };
}

/**
 * The capacity of a tenant group. The group of the default runtime must hold
 * `signup.maxTenants`: derived when not given, checked when given.
 */
function tenantGroupCapacity(
  id: string,
  runtime: RuntimeTier,
  given: NodeGroupCapacity | undefined,
  fallback: NodeGroupCapacity,
  tenants: TenantCapacity,
): NodeGroupCapacity {
  if (runtime !== tenants.runtime) return given ?? fallback;
  const shape = given ?? fallback;
  const input = { instanceTypes: shape.instanceTypes, maxPods: shape.maxPods, tier: tenants.tier, runtime };
  const needed = nodesForTenants(tenants.maxTenants, input);
  const perNode = tenantsPerNode(input);
  if (needed > MAX_NODES_PER_MANAGED_NODE_GROUP) {
    throw new Error(
      `signup.maxTenants ${tenants.maxTenants} needs ${needed} ${shape.instanceTypes[0]} nodes in node group ${id} (${perNode} ${tenants.tier} tenants each), ` +
        `more than the ${MAX_NODES_PER_MANAGED_NODE_GROUP} an EKS managed node group allows; lower signup.maxTenants or use larger instance types`,
    );
  }
  if (!given) return { ...fallback, maxSize: Math.max(fallback.minSize, needed) };
  if (given.maxSize < needed) {
    throw new Error(
      `node group ${id}: maxSize ${given.maxSize} × ${perNode} ${tenants.tier} tenants per ${given.instanceTypes[0]} holds ${given.maxSize * perNode}, ` +
        `fewer than signup.maxTenants ${tenants.maxTenants}; raise maxSize to ${needed} or lower signup.maxTenants`,
    );
  }
  return given;
}

/** vCPUs all node groups reach at their maxima (each at its largest instance type): what EC2's On-Demand quota must allow. */
export function maxFleetVcpus(capacities: Readonly<Record<string, NodeGroupCapacity>>): number {
  return Object.values(capacities).reduce((sum, group) => {
    const vcpus = group.instanceTypes.map((t) => {
      const n = GRAVITON_INSTANCE_VCPUS[t];
      if (n === undefined) throw new Error(`instance type ${t} has no known vCPU count; add it to GRAVITON_INSTANCE_VCPUS`);
      return n;
    });
    return sum + group.maxSize * Math.max(...vcpus);
  }, 0);
}
