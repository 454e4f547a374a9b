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
    if (mib === undefined) throw new Error(`instance type ${t} has no known memory; add it to GRAVITON_INSTANCE_MEMORY_MIB (${Object.keys(GRAVITON_INSTANCE_MEMORY_MIB).join(', ')})`);
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
