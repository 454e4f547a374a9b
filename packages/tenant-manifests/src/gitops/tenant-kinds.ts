/**
 * The kinds a tenant folder may contain: each tenant's AppProject whitelists
 * exactly these (plus its own Namespace), and the admission policies refuse
 * any other kind from a tenant Application. No Secrets, RBAC, webhooks or
 * anything cluster-wide.
 */
export const TENANT_NAMESPACED_KINDS: readonly { readonly group: string; readonly kind: string }[] = [
  { group: '', kind: 'ServiceAccount' },
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
  { group: 'gateway.envoyproxy.io', kind: 'SecurityPolicy' },
  { group: 'keda.sh', kind: 'ScaledObject' },
];

/** The one cluster-scoped kind a tenant Application may manage: its own Namespace. */
export const TENANT_CLUSTER_KIND = { group: '', kind: 'Namespace' } as const;
