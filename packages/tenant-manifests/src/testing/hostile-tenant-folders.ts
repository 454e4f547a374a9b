/**
 * Test corpus: one hostile edit of a tenant folder per admission rule, each
 * with a compliant twin (the nearest edit the rules allow). The admission
 * tests run it through the policies' CEL; the local platform's tests push it
 * through its reconciler.
 */
import { RUNTIME_TIER_LABEL, tenantNames } from '@openclaw-tenancy/shared';
import { KubeObject } from '../synthesis/manifest-yaml';

// The corpus edits arbitrary nested manifest fields, as a hostile author would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export interface HostileFolderCase {
  /** The rule id (in brackets in every denial message) the hostile edit must trip. */
  readonly rule: string;
  readonly description: string;
  /** Edits a copy of the tenant's synthesized objects into the hostile folder. */
  hostile(objects: KubeObject[], tenantId: string, otherTenantId: string): KubeObject[];
  /** The nearest compliant edit. */
  twin(objects: KubeObject[], tenantId: string, otherTenantId: string): KubeObject[];
}

const copy = (objects: readonly KubeObject[]): Json[] => JSON.parse(JSON.stringify(objects)) as Json[];
const of = (objects: Json[], kind: string): Json => {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`the tenant folder has no ${kind}`);
  return found;
};
const pod = (objects: Json[]): Json => of(objects, 'Deployment').spec.template.spec;
const gateway = (objects: Json[]): Json => (pod(objects).containers as Json[])[0] as Json;
const edit =
  (fn: (objects: Json[], tenantId: string, other: string) => void) =>
  (objects: KubeObject[], tenantId: string, other: string): KubeObject[] => {
    const out = copy(objects);
    fn(out, tenantId, other);
    return out as KubeObject[];
  };

const gatewayPolicy = (objects: Json[]): Json =>
  objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name !== 'default-deny-all') as Json;

export const HOSTILE_TENANT_FOLDERS: readonly HostileFolderCase[] = [
  {
    rule: 'TENANT-KINDS',
    description: 'a Secret (not a tenant kind)',
    hostile: edit((o, id) =>
      o.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'stolen', namespace: tenantNames(id).namespace },
        stringData: { a: 'b' },
      }),
    ),
    twin: edit((o, id) =>
      o.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: tenantNames(id).namespace }, data: { a: 'b' } }),
    ),
  },
  {
    rule: 'TENANT-KINDS',
    description: 'a RoleBinding granting the tenant service account more',
    hostile: edit((o, id) =>
      o.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'more', namespace: tenantNames(id).namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ kind: 'ServiceAccount', name: tenantNames(id).serviceAccount, namespace: tenantNames(id).namespace }],
      }),
    ),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-OWN-NAMESPACE',
    description: "the Deployment moved into another tenant's namespace",
    hostile: edit((o, _id, other) => void (of(o, 'Deployment').metadata.namespace = tenantNames(other).namespace)),
    twin: edit((o, id) => void (of(o, 'Deployment').metadata.namespace = tenantNames(id).namespace)),
  },
  {
    rule: 'TENANT-OWN-NAMESPACE',
    description: 'a Deployment in kube-system',
    hostile: edit((o) => o.push({ ...JSON.parse(JSON.stringify(of(o, 'Deployment'))), metadata: { name: 'x', namespace: 'kube-system' } })),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-NAMESPACE-LABEL',
    description: "the Namespace labelled as another tenant's",
    hostile: edit((o, _id, other) => void (of(o, 'Namespace').metadata.labels['openclaw.io/tenant'] = other)),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-NAMESPACE-PSS',
    description: 'the Namespace set to Pod Security "privileged"',
    hostile: edit((o) => void (of(o, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged')),
    twin: edit((o) => void (of(o, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'] = 'restricted')),
  },
  {
    rule: 'TENANT-HOST-NAMESPACES',
    description: 'hostNetwork: true',
    hostile: edit((o) => void (pod(o).hostNetwork = true)),
    twin: edit((o) => void (pod(o).hostNetwork = false)),
  },
  {
    rule: 'TENANT-NO-HOSTPATH',
    description: 'a hostPath volume of the node root',
    hostile: edit((o) => void (pod(o).volumes as Json[]).push({ name: 'node-root', hostPath: { path: '/' } })),
    twin: edit((o) => void (pod(o).volumes as Json[]).push({ name: 'scratch', emptyDir: {} })),
  },
  {
    rule: 'TENANT-NO-PRIVILEGED',
    description: 'a privileged container',
    hostile: edit((o) => void (gateway(o).securityContext.privileged = true)),
    twin: edit((o) => void (gateway(o).securityContext.privileged = false)),
  },
  {
    rule: 'TENANT-NO-HOSTPORT',
    description: 'a host port',
    hostile: edit((o) => void (gateway(o).ports[0].hostPort = 18789)),
    twin: edit((o) => void (gateway(o).ports[0].hostPort = 0)),
  },
  {
    rule: 'TENANT-RUNTIME-TIER',
    description: 'runc tier with the gVisor nodes toleration (a runtime it was not given)',
    hostile: edit((o) => {
      of(o, 'Deployment').spec.template.metadata.labels[RUNTIME_TIER_LABEL] = 'runc';
      delete pod(o).runtimeClassName;
      pod(o).tolerations = [{ key: 'openclaw.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }];
    }),
    twin: edit((o) => {
      of(o, 'Deployment').spec.template.metadata.labels[RUNTIME_TIER_LABEL] = 'gvisor';
      pod(o).runtimeClassName = 'gvisor';
      pod(o).tolerations = [{ key: 'openclaw.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }];
    }),
  },
  {
    rule: 'TENANT-RUNTIME-TIER',
    description: 'pinned to a node',
    hostile: edit((o) => void (pod(o).nodeName = 'ip-10-0-0-1.ec2.internal')),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-IMAGE',
    description: 'an image from another registry',
    hostile: edit((o) => void (gateway(o).image = 'docker.io/attacker/miner:1.0')),
    twin: edit((o) => void (gateway(o).image = `${String(gateway(o).image).split(':')[0]}:2026.9.7`)),
  },
  {
    rule: 'TENANT-SERVICE-CLUSTERIP',
    description: 'a LoadBalancer Service',
    hostile: edit((o) => void (of(o, 'Service').spec.type = 'LoadBalancer')),
    twin: edit((o) => void (of(o, 'Service').spec.type = 'ClusterIP')),
  },
  {
    rule: 'TENANT-SERVICE-NO-EXTERNAL',
    description: 'a Service with externalIPs',
    hostile: edit((o) => void (of(o, 'Service').spec.externalIPs = ['203.0.113.7'])),
    twin: edit((o) => void (of(o, 'Service').spec.externalIPs = [])),
  },
  {
    rule: 'TENANT-SERVICE-PORTS',
    description: 'a Service exposing another port',
    hostile: edit((o) => void (of(o, 'Service').spec.ports as Json[]).push({ name: 'ssh', port: 22, targetPort: 22, protocol: 'TCP' })),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-ROUTE-PATH',
    description: "an HTTPRoute for another tenant's path (the longer prefix would win)",
    hostile: edit((o, _id, other) => void (of(o, 'HTTPRoute').spec.rules[1].matches[0].path.value = `/t/${other}/`)),
    twin: edit((o, id) => void (of(o, 'HTTPRoute').spec.rules[1].matches[0].path.value = `/t/${id}/deeper`)),
  },
  {
    rule: 'TENANT-ROUTE-PATH',
    description: 'a regular-expression path that also matches other tenants',
    hostile: edit(
      (o, id) => void (of(o, 'HTTPRoute').spec.rules[1].matches[0].path = { type: 'RegularExpression', value: `/t/${id}/|/t/.*` }),
    ),
    twin: edit((o, id) => void (of(o, 'HTTPRoute').spec.rules[1].matches[0].path = { type: 'Exact', value: `/t/${id}` })),
  },
  {
    rule: 'TENANT-ROUTE-PARENT',
    description: 'an HTTPRoute attached to another Gateway',
    hostile: edit((o) => void (of(o, 'HTTPRoute').spec.parentRefs[0].name = 'internal-admin')),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-ROUTE-BACKEND',
    description: "an HTTPRoute to another namespace's Service",
    hostile: edit((o) => void (of(o, 'HTTPRoute').spec.rules[1].backendRefs[0].namespace = 'argocd')),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-ROUTE-FILTERS',
    description: 'an HTTPRoute mirroring traffic',
    hostile: edit(
      (o) =>
        void (of(o, 'HTTPRoute').spec.rules[1].filters as Json[]).push({
          type: 'RequestMirror',
          requestMirror: { backendRef: { name: 'openclaw-gateway', port: 18789 } },
        }),
    ),
    twin: edit(
      (o) =>
        void (of(o, 'HTTPRoute').spec.rules[1].filters as Json[]).push({
          type: 'ResponseHeaderModifier',
          responseHeaderModifier: { set: [{ name: 'x-frame-options', value: 'DENY' }] },
        }),
    ),
  },
  {
    rule: 'TENANT-ROUTE-HOSTNAME',
    description: 'an HTTPRoute on another host name',
    hostile: edit((o) => void (of(o, 'HTTPRoute').spec.hostnames = ['admin.internal'])),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-NETWORK',
    description: 'a NetworkPolicy opening all egress (the VPC, IMDS, every ClusterIP)',
    hostile: edit((o) => void (gatewayPolicy(o).spec.egress as Json[]).push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] })),
    twin: edit((o) => void (gatewayPolicy(o).spec.egress as Json[]).splice(1, 1)),
  },
  {
    rule: 'TENANT-NETWORK',
    description: 'a NetworkPolicy admitting ingress from every namespace',
    hostile: edit((o) => void (gatewayPolicy(o).spec.ingress as Json[]).push({ from: [{ namespaceSelector: {} }] })),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-QUOTA',
    description: 'a ResourceQuota raised beyond every tier',
    hostile: edit((o) => void (of(o, 'ResourceQuota').spec.hard['limits.memory'] = '512Gi')),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SECURITY-POLICY-TENANT-CLAIM',
    description: "a SecurityPolicy admitting another tenant's token",
    hostile: edit((o, _id, other) => {
      const claims = of(o, 'SecurityPolicy').spec.authorization.rules[0].principal.jwt.claims as Json[];
      (claims.find((c) => c.name === 'custom:tenant_id') as Json).values = [other];
    }),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SECURITY-POLICY-TENANT-CLAIM',
    description: 'a SecurityPolicy that allows by default',
    hostile: edit((o) => void (of(o, 'SecurityPolicy').spec.authorization.defaultAction = 'Allow')),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SECURITY-POLICY-ISSUER',
    description: "a SecurityPolicy trusting the attacker's token issuer",
    hostile: edit((o) => {
      const provider = of(o, 'SecurityPolicy').spec.jwt.providers[0];
      provider.issuer = 'https://attacker.example';
      provider.remoteJWKS.uri = 'https://attacker.example/jwks.json';
    }),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SECURITY-POLICY-TARGET',
    description: 'a SecurityPolicy attached to the whole Gateway',
    hostile: edit(
      (o) =>
        void (of(o, 'SecurityPolicy').spec.targetRefs = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'openclaw-edge' }]),
    ),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SECURITY-POLICY-FIELDS',
    description: 'a SecurityPolicy adding external authorization',
    hostile: edit((o) => void (of(o, 'SecurityPolicy').spec.extAuth = { http: { backendRefs: [{ name: 'x', port: 80 }] } })),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SCALER-TRIGGER',
    description: "a ScaledObject whose trigger makes KEDA's operator call an address of the author's choosing",
    hostile: edit((o) => void (trigger(o).metadata.serverAddress = 'http://169.254.169.254/latest/meta-data')),
    twin: edit((o) => void (trigger(o).metadata.threshold = '2')),
  },
  {
    rule: 'TENANT-SCALER-TRIGGER',
    description: "a ScaledObject that wakes on another tenant's traffic",
    hostile: edit(
      (o, id, other) =>
        void (trigger(o).metadata.query = String(trigger(o).metadata.query).replaceAll(
          tenantNames(id).namespace,
          tenantNames(other).namespace,
        )),
    ),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SCALER-TRIGGER',
    description: 'a ScaledObject reading its metrics with credentials of a TriggerAuthentication',
    hostile: edit((o) => void (trigger(o).authenticationRef = { name: 'keda-prometheus', kind: 'ClusterTriggerAuthentication' })),
    twin: (objects) => objects,
  },
  {
    rule: 'TENANT-SCALER-TARGET',
    description: 'a ScaledObject scaling something other than the gateway',
    hostile: edit((o) => void (of(o, 'ScaledObject').spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'miner' })),
    twin: edit((o) => void (of(o, 'ScaledObject').spec.scaleTargetRef = { name: 'openclaw-gateway' })),
  },
  {
    rule: 'TENANT-SCALER-REPLICAS',
    description: 'a ScaledObject running ten gateways',
    hostile: edit((o) => void (of(o, 'ScaledObject').spec.maxReplicaCount = 10)),
    twin: edit((o) => void (of(o, 'ScaledObject').spec.minReplicaCount = 1)),
  },
  {
    rule: 'TENANT-SCALER-FIELDS',
    description: 'a ScaledObject with fallback replicas when its trigger fails',
    hostile: edit((o) => void (of(o, 'ScaledObject').spec.fallback = { failureThreshold: 1, replicas: 1 })),
    twin: edit((o) => void (of(o, 'ScaledObject').spec.pollingInterval = 10)),
  },
];

const trigger = (objects: Json[]): Json => (of(objects, 'ScaledObject').spec.triggers as Json[])[0] as Json;
