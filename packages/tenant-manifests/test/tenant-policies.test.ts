import { KubeObject, TENANT_POLICY_CONTROLS, checkTenantPolicies } from '../src';
import { clone, exampleConfig, find, objectsOf, tenant } from './fixtures';

const ctx = { tenantId: 'alice', vpcCidr: exampleConfig.network.vpcCidr, serviceCidr: exampleConfig.network.serviceIpv4Cidr };
const compliant = objectsOf();
const gvisor = objectsOf(tenant('alice', 'large', 'gvisor'));

function findingsFor(control: string, objects: KubeObject[]) {
  return checkTenantPolicies(objects, ctx).filter((f) => f.control === control);
}

/** Applies `mutate` to a copy of the compliant chart and returns it. */
function mutated(mutate: (objects: any[]) => void): KubeObject[] {
  const copy = clone(compliant);
  mutate(copy);
  return copy;
}

const pod = (objects: any[]) => find(objects, 'Deployment').spec.template.spec;
const gateway = (objects: any[]) => pod(objects).containers[0];
const gatewayPolicy = (objects: any[]) => find(objects, 'NetworkPolicy', 'openclaw-gateway').spec;

describe('tenant policy controls', () => {
  it('the synthesized charts of every tier and runtime are compliant with every control', () => {
    expect(checkTenantPolicies(compliant, ctx)).toEqual([]);
    expect(checkTenantPolicies(gvisor, ctx)).toEqual([]);
  });

  // One or more non-compliant fixtures per control (cdk-nag style): each must be flagged by that control.
  const cases: Array<[string, string, (o: any[]) => void]> = [
    ['POD-PSS-RESTRICTED', 'privilege escalation allowed', (o) => (gateway(o).securityContext.allowPrivilegeEscalation = true)],
    [
      'POD-PSS-RESTRICTED',
      'running as root',
      (o) => {
        gateway(o).securityContext.runAsNonRoot = false;
        gateway(o).securityContext.runAsUser = 0;
      },
    ],
    ['POD-PSS-RESTRICTED', 'capabilities not dropped', (o) => (gateway(o).securityContext.capabilities = { add: ['NET_ADMIN'] })],
    ['POD-PSS-RESTRICTED', 'privileged container', (o) => (gateway(o).securityContext.privileged = true)],
    [
      'POD-PSS-RESTRICTED',
      'no seccomp profile',
      (o) => {
        delete gateway(o).securityContext.seccompProfile;
        delete pod(o).securityContext.seccompProfile;
      },
    ],
    ['POD-PSS-RESTRICTED', 'host network', (o) => (pod(o).hostNetwork = true)],
    ['POD-PSS-RESTRICTED', 'hostPath volume', (o) => pod(o).volumes.push({ name: 'h', hostPath: { path: '/' } })],
    ['POD-PSS-RESTRICTED', 'hostPort', (o) => (gateway(o).ports[0].hostPort = 18789)],
    ['POD-READONLY-ROOT', 'writable root filesystem', (o) => (gateway(o).securityContext.readOnlyRootFilesystem = false)],
    ['POD-RESOURCE-LIMITS', 'no memory limit', (o) => delete gateway(o).resources.limits.memory],
    [
      'POD-RESOURCE-LIMITS',
      'an init container without resources',
      (o) => (pod(o).initContainers = [{ name: 'init', image: 'busybox:1.36', securityContext: gateway(o).securityContext }]),
    ],
    ['POD-NO-API-TOKEN', 'API token mounted in the pod', (o) => (pod(o).automountServiceAccountToken = true)],
    ['POD-NO-API-TOKEN', 'service account automounts', (o) => delete find(o, 'ServiceAccount').automountServiceAccountToken],
    ['POD-IMAGE-PINNED', 'latest tag', (o) => (gateway(o).image = 'ghcr.io/openclaw/openclaw:latest')],
    ['POD-IMAGE-PINNED', 'no tag', (o) => (gateway(o).image = 'ghcr.io/openclaw/openclaw')],
    ['NETPOL-DEFAULT-DENY', 'default deny removed', (o) => o.splice(o.indexOf(find(o, 'NetworkPolicy', 'default-deny-all')), 1)],
    [
      'NETPOL-DEFAULT-DENY',
      'default deny without Egress',
      (o) => (find(o, 'NetworkPolicy', 'default-deny-all').spec.policyTypes = ['Ingress']),
    ],
    ['NETPOL-INGRESS-EDGE-ONLY', 'ingress from any namespace', (o) => (gatewayPolicy(o).ingress[0].from = [{ namespaceSelector: {} }])],
    ['NETPOL-INGRESS-EDGE-ONLY', 'ingress without from', (o) => delete gatewayPolicy(o).ingress[0].from],
    [
      'NETPOL-INGRESS-EDGE-ONLY',
      'ingress from an ipBlock',
      (o) => gatewayPolicy(o).ingress[0].from.push({ ipBlock: { cidr: '0.0.0.0/0' } }),
    ],
    ['NETPOL-INGRESS-EDGE-ONLY', 'ingress on every port', (o) => delete gatewayPolicy(o).ingress[0].ports],
    [
      'NETPOL-EGRESS-ALLOWLIST',
      'IMDS reachable',
      (o) => gatewayPolicy(o).egress.push({ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }),
    ],
    ['NETPOL-EGRESS-ALLOWLIST', 'VPC not excepted', (o) => (gatewayPolicy(o).egress[3].to[0].ipBlock.except = ['169.254.0.0/16'])],
    [
      'NETPOL-EGRESS-ALLOWLIST',
      'Service range not excepted',
      (o) => (gatewayPolicy(o).egress[3].to[0].ipBlock.except = ['10.40.0.0/16', '169.254.0.0/16']),
    ],
    ['NETPOL-EGRESS-ALLOWLIST', 'link-local not excepted', (o) => (gatewayPolicy(o).egress[3].to[0].ipBlock.except = ['10.40.0.0/16'])],
    ['NETPOL-EGRESS-ALLOWLIST', 'plain HTTP to the internet', (o) => (gatewayPolicy(o).egress[3].ports = [{ protocol: 'TCP', port: 80 }])],
    ['NETPOL-EGRESS-ALLOWLIST', 'egress without ports', (o) => delete gatewayPolicy(o).egress[3].ports],
    [
      'NETPOL-EGRESS-ALLOWLIST',
      'egress to every pod',
      (o) => gatewayPolicy(o).egress.push({ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 443 }] }),
    ],
    [
      'NETPOL-EGRESS-ALLOWLIST',
      'Pod Identity agent on another port',
      (o) => (gatewayPolicy(o).egress[1].ports = [{ protocol: 'TCP', port: 2703 }]),
    ],
    ['NO-SECRET-MATERIAL', 'an access key in the config', (o) => (find(o, 'ConfigMap').data.extra = 'AKIAABCDEFGHIJKLMNOP')],
    ['NO-SECRET-MATERIAL', 'a private key', (o) => (find(o, 'ConfigMap').data.key = '-----BEGIN RSA PRIVATE KEY-----\nabc')],
    [
      'NO-SECRET-MATERIAL',
      'a secret access key',
      (o) => (find(o, 'ConfigMap').data.creds = 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
    ],
    [
      'PDB-NEVER-BLOCKS-DRAIN',
      'minAvailable 1 on one replica',
      (o) => {
        const s = find(o, 'PodDisruptionBudget').spec;
        delete s.maxUnavailable;
        s.minAvailable = 1;
      },
    ],
    ['PDB-NEVER-BLOCKS-DRAIN', 'maxUnavailable 0', (o) => (find(o, 'PodDisruptionBudget').spec.maxUnavailable = 0)],
    ['SCALER-ZERO-TO-ONE', 'ten gateways', (o) => (find(o, 'ScaledObject').spec.maxReplicaCount = 10)],
    ['SCALER-ZERO-TO-ONE', 'another workload', (o) => (find(o, 'ScaledObject').spec.scaleTargetRef.name = 'miner')],
    [
      'SCALER-ZERO-TO-ONE',
      'a metrics address of its own',
      (o) => (find(o, 'ScaledObject').spec.triggers[0].metadata.serverAddress = 'http://attacker.example:9090'),
    ],
  ];

  it.each(cases)('%s flags %s', (control, _what, mutate) => {
    expect(findingsFor(control, mutated(mutate)).length).toBeGreaterThan(0);
  });

  it('every control has at least one non-compliant fixture', () => {
    const covered = new Set(cases.map(([c]) => c));
    for (const control of TENANT_POLICY_CONTROLS) expect(covered.has(control.id)).toBe(true);
  });

  it('explains each finding with the object and the fix', () => {
    const [finding] = findingsFor(
      'POD-READONLY-ROOT',
      mutated((o) => (gateway(o).securityContext.readOnlyRootFilesystem = false)),
    );
    expect(finding).toEqual({
      control: 'POD-READONLY-ROOT',
      object: 'Deployment openclaw-alice/openclaw-gateway',
      message: 'container "gateway" must set readOnlyRootFilesystem: true',
    });
  });
});
