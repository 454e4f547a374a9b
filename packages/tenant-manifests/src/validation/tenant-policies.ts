/**
 * Policy controls over a tenant's synthesized objects, cdk-nag style: each
 * control has an id, a rationale and a check that returns findings. Schema
 * validity says the YAML is well-formed; these say it is safe (Pod Security
 * "restricted" plus what PSS does not require: read-only root, limits, no API
 * token, network isolation, no secret material, pinned images). Which kinds a
 * folder may hold and where they may land are the admission policies' rules
 * (`admission/tenant-admission-policies.ts`), checked beside these by
 * `validateDeployTree`.
 */
import { GATEWAY_PORT, IDLE_METRICS_SERVER_URL, PLATFORM_NAMES, cidrContains, tenantNames } from '@openclaw-tenancy/shared';
import { KubeObject } from '../synthesis/manifest-yaml';

export interface PolicyFinding {
  readonly control: string;
  readonly object: string;
  readonly message: string;
}

export interface PolicyContext {
  readonly tenantId: string;
  readonly vpcCidr: string;
  /** The cluster's Service range. */
  readonly serviceCidr: string;
}

export interface PolicyControl {
  readonly id: string;
  readonly rationale: string;
  check(objects: readonly KubeObject[], context: PolicyContext): PolicyFinding[];
}

const IMDS = '169.254.169.254';
const POD_IDENTITY_AGENT = '169.254.170.23/32';
const PSS_VOLUME_TYPES = ['configMap', 'emptyDir', 'persistentVolumeClaim', 'projected', 'secret', 'downwardAPI', 'csi', 'ephemeral'];

type Json = Record<string, unknown>;
const asObj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const label = (o: KubeObject): string => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

interface PodTemplate {
  readonly owner: KubeObject;
  readonly spec: Json;
}

function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    if (o.kind === 'Pod') out.push({ owner: o, spec: asObj(o.spec) });
    const template = asObj(asObj(asObj(o.spec).template).spec);
    if (Object.keys(template).length > 0) out.push({ owner: o, spec: template });
  }
  return out;
}

function containersOf(spec: Json): Json[] {
  return [...asArr(spec.initContainers), ...asArr(spec.containers), ...asArr(spec.ephemeralContainers)].map(asObj);
}

export const TENANT_POLICY_CONTROLS: readonly PolicyControl[] = [
  {
    id: 'POD-PSS-RESTRICTED',
    rationale:
      'Pod Security Standard "restricted": non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, no host namespaces, ports or paths.',
    check(objects) {
      const findings: PolicyFinding[] = [];
      for (const { owner, spec } of podTemplates(objects)) {
        const add = (message: string) => findings.push({ control: this.id, object: label(owner), message });
        const podSc = asObj(spec.securityContext);
        for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[host] === true) add(`${host} must not be true`);
        for (const v of asArr(spec.volumes).map(asObj)) {
          const type = Object.keys(v).find((k) => k !== 'name');
          if (!type || !PSS_VOLUME_TYPES.includes(type)) add(`volume "${String(v.name)}" of type ${type ?? 'unknown'} is not allowed`);
        }
        const podSeccomp = asObj(podSc.seccompProfile).type;
        for (const c of containersOf(spec)) {
          const sc = asObj(c.securityContext);
          const name = `container "${String(c.name)}"`;
          if (sc.privileged === true) add(`${name} must not be privileged`);
          if (sc.allowPrivilegeEscalation !== false) add(`${name} must set allowPrivilegeEscalation: false`);
          if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) add(`${name} must run as non-root (runAsNonRoot: true)`);
          if ((sc.runAsUser ?? podSc.runAsUser) === 0) add(`${name} must not run as UID 0`);
          const caps = asObj(sc.capabilities);
          if (!asArr(caps.drop).includes('ALL')) add(`${name} must drop ALL capabilities`);
          const added = asArr(caps.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
          if (added.length > 0) add(`${name} must not add capabilities ${added.join(', ')}`);
          const seccomp = asObj(sc.seccompProfile).type ?? podSeccomp;
          if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${name} needs seccompProfile RuntimeDefault or Localhost`);
          for (const p of asArr(c.ports).map(asObj)) if (p.hostPort !== undefined) add(`${name} must not use hostPort`);
        }
      }
      return findings;
    },
  },
  {
    id: 'POD-READONLY-ROOT',
    rationale: 'Containers run with a read-only root filesystem; writable paths are explicit volumes.',
    check(objects) {
      return podTemplates(objects).flatMap(({ owner, spec }) =>
        containersOf(spec)
          .filter((c) => asObj(c.securityContext).readOnlyRootFilesystem !== true)
          .map((c) => ({
            control: this.id,
            object: label(owner),
            message: `container "${String(c.name)}" must set readOnlyRootFilesystem: true`,
          })),
      );
    },
  },
  {
    id: 'POD-RESOURCE-LIMITS',
    rationale: 'Every container declares CPU and memory requests and limits, so no tenant can starve a node.',
    check(objects) {
      const findings: PolicyFinding[] = [];
      for (const { owner, spec } of podTemplates(objects)) {
        for (const c of containersOf(spec)) {
          const r = asObj(c.resources);
          for (const kind of ['requests', 'limits']) {
            for (const res of ['cpu', 'memory']) {
              if (asObj(r[kind])[res] === undefined)
                findings.push({ control: this.id, object: label(owner), message: `container "${String(c.name)}" has no ${kind}.${res}` });
            }
          }
        }
      }
      return findings;
    },
  },
  {
    id: 'POD-NO-API-TOKEN',
    rationale: 'No Kubernetes API token is mounted: the gateway never talks to the API server (Pod Identity brings its own token).',
    check(objects) {
      const findings: PolicyFinding[] = [];
      for (const { owner, spec } of podTemplates(objects)) {
        if (spec.automountServiceAccountToken !== false)
          findings.push({ control: this.id, object: label(owner), message: 'pod must set automountServiceAccountToken: false' });
      }
      for (const sa of objects.filter((o) => o.kind === 'ServiceAccount')) {
        if ((sa as Json).automountServiceAccountToken !== false)
          findings.push({ control: this.id, object: label(sa), message: 'service account must set automountServiceAccountToken: false' });
      }
      return findings;
    },
  },
  {
    id: 'POD-IMAGE-PINNED',
    rationale: 'Images are pinned to a tag or digest, never :latest, so every tenant runs the reviewed release.',
    check(objects) {
      return podTemplates(objects).flatMap(({ owner, spec }) =>
        containersOf(spec)
          .filter((c) => {
            const image = String(c.image ?? '');
            if (image.includes('@sha256:')) return false;
            const tag = /:([^/:]+)$/.exec(image)?.[1];
            return !tag || tag === 'latest';
          })
          .map((c) => ({
            control: this.id,
            object: label(owner),
            message: `container "${String(c.name)}" image "${String(c.image)}" is not pinned`,
          })),
      );
    },
  },
  {
    id: 'NETPOL-DEFAULT-DENY',
    rationale: 'A policy selecting every pod denies all ingress and egress that no other policy allows.',
    check(objects) {
      const ok = objects.some((o) => {
        if (o.kind !== 'NetworkPolicy') return false;
        const spec = asObj(o.spec);
        const selectsAll = Object.keys(asObj(spec.podSelector)).length === 0;
        const types = asArr(spec.policyTypes);
        return (
          selectsAll &&
          types.includes('Ingress') &&
          types.includes('Egress') &&
          asArr(spec.ingress).length === 0 &&
          asArr(spec.egress).length === 0
        );
      });
      return ok
        ? []
        : [
            {
              control: this.id,
              object: 'NetworkPolicy',
              message: 'no default-deny policy (podSelector {}, policyTypes Ingress+Egress, no rules)',
            },
          ];
    },
  },
  {
    id: 'NETPOL-INGRESS-EDGE-ONLY',
    rationale: 'The gateway port accepts traffic only from the edge data plane, never from other namespaces or IP ranges.',
    check(objects) {
      const findings: PolicyFinding[] = [];
      for (const o of objects.filter((x) => x.kind === 'NetworkPolicy')) {
        for (const rule of asArr(asObj(o.spec).ingress).map(asObj)) {
          const add = (message: string) => findings.push({ control: this.id, object: label(o), message });
          const from = asArr(rule.from).map(asObj);
          if (from.length === 0) add('an ingress rule without "from" admits every source');
          for (const peer of from) {
            const nsLabels = asObj(asObj(peer.namespaceSelector).matchLabels);
            if (peer.ipBlock !== undefined) add('ingress from an ipBlock is not allowed');
            else if (nsLabels['kubernetes.io/metadata.name'] !== PLATFORM_NAMES.envoyGatewayNamespace)
              add(`ingress must come from namespace ${PLATFORM_NAMES.envoyGatewayNamespace} only`);
            else if (asObj(asObj(peer.podSelector).matchLabels)[PLATFORM_NAMES.envoyOwningGatewayNameLabel] !== PLATFORM_NAMES.gateway)
              add('ingress must select the edge Gateway pods only');
          }
          const ports = asArr(rule.ports).map(asObj);
          if (ports.length === 0 || ports.some((p) => p.port !== GATEWAY_PORT)) add(`ingress must be limited to port ${GATEWAY_PORT}`);
        }
      }
      return findings;
    },
  },
  {
    id: 'NETPOL-EGRESS-ALLOWLIST',
    rationale:
      'Egress only to cluster DNS, the Pod Identity agent (169.254.170.23:80) and HTTPS; never IMDS, the rest of the VPC or a ClusterIP Service.',
    check(objects, ctx) {
      const findings: PolicyFinding[] = [];
      for (const o of objects.filter((x) => x.kind === 'NetworkPolicy')) {
        for (const rule of asArr(asObj(o.spec).egress).map(asObj)) {
          const add = (message: string) => findings.push({ control: this.id, object: label(o), message });
          const to = asArr(rule.to).map(asObj);
          const ports = asArr(rule.ports).map(asObj);
          if (to.length === 0) add('an egress rule without "to" allows every destination');
          if (ports.length === 0) add('an egress rule without ports allows every port');
          const portNumbers = ports.map((p) => p.port);
          const isDns = ports.length > 0 && ports.every((p) => p.port === 53);
          for (const peer of to) {
            if (peer.ipBlock === undefined) {
              const nsName = asObj(asObj(peer.namespaceSelector).matchLabels)['kubernetes.io/metadata.name'];
              const podApp = asObj(asObj(peer.podSelector).matchLabels)['k8s-app'];
              if (!(isDns && nsName === 'kube-system' && podApp === 'kube-dns'))
                add('pod/namespace egress is allowed only to kube-dns on port 53');
              continue;
            }
            const block = asObj(peer.ipBlock);
            const cidr = String(block.cidr);
            const except = asArr(block.except).map(String);
            const excepted = (addr: string) => except.some((e) => cidrContains(e, addr));
            if (cidrContains(cidr, IMDS) && !excepted(IMDS)) add(`${cidr} includes IMDS ${IMDS}; except it`);
            if (cidr === POD_IDENTITY_AGENT) {
              if (portNumbers.some((p) => p !== 80)) add('the Pod Identity agent is reachable on port 80 only');
              continue;
            }
            if (portNumbers.some((p) => p !== 443)) add(`egress to ${cidr} must be HTTPS (443) only`);
            // Anything wider than the VPC must exclude it; ranges inside the VPC are the endpoint subnets.
            if (!cidrContains(ctx.vpcCidr, cidr) && cidrContains(cidr, ctx.vpcCidr.split('/')[0] ?? '') && !excepted(ctx.vpcCidr))
              add(`${cidr} must except the VPC range ${ctx.vpcCidr}`);
            if (cidrContains(cidr, ctx.serviceCidr.split('/')[0] ?? '') && !excepted(ctx.serviceCidr))
              add(`${cidr} must except the Service range ${ctx.serviceCidr}`);
          }
        }
      }
      return findings;
    },
  },
  {
    id: 'NO-SECRET-MATERIAL',
    rationale: 'Secrets never appear in Git: no access keys, private keys or token-looking values in any field.',
    check(objects) {
      const patterns: [RegExp, string][] = [
        [/AKIA[0-9A-Z]{16}/, 'an AWS access key id'],
        [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
        [/aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/i, 'an AWS secret access key'],
        [/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./, 'a JWT'],
        [/gh[pousr]_[A-Za-z0-9]{36}/, 'a GitHub token'],
      ];
      const findings: PolicyFinding[] = [];
      for (const o of objects) {
        const text = JSON.stringify(o);
        for (const [re, what] of patterns)
          if (re.test(text)) findings.push({ control: this.id, object: label(o), message: `contains ${what}` });
      }
      return findings;
    },
  },
  {
    id: 'SCALER-ZERO-TO-ONE',
    rationale:
      "Idle suspend scales only the tenant's own gateway, between 0 and 1, on the platform Prometheus: never more gateways, never another workload, never a metrics address of the folder's choosing.",
    check(objects, context) {
      const deployment = tenantNames(context.tenantId).deployment;
      return objects
        .filter((o) => o.kind === 'ScaledObject')
        .flatMap((o) => {
          const spec = asObj(o.spec);
          const problems: string[] = [];
          if (spec.maxReplicaCount !== 1) problems.push('maxReplicaCount must be 1 (one gateway per tenant)');
          if (asObj(spec.scaleTargetRef).name !== deployment)
            problems.push(`scaleTargetRef must name the gateway Deployment ${deployment}`);
          for (const trigger of asArr(spec.triggers).map(asObj)) {
            if (asObj(trigger.metadata).serverAddress !== IDLE_METRICS_SERVER_URL)
              problems.push(`trigger must query the platform Prometheus ${IDLE_METRICS_SERVER_URL}`);
          }
          return problems.map((message) => ({ control: this.id, object: label(o), message }));
        });
    },
  },
  {
    id: 'PDB-NEVER-BLOCKS-DRAIN',
    rationale: 'A disruption budget on a single replica must still let node drains and consolidation evict it.',
    check(objects) {
      return objects
        .filter((o) => o.kind === 'PodDisruptionBudget')
        .filter((o) => {
          const spec = asObj(o.spec);
          if (spec.minAvailable !== undefined) return spec.minAvailable !== 0 && spec.minAvailable !== '0%';
          return spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.maxUnavailable === undefined;
        })
        .map((o) => ({
          control: this.id,
          object: label(o),
          message: 'with one replica this budget blocks every voluntary eviction; use maxUnavailable: 1',
        }));
    },
  },
];

/** Runs every control; an empty result means the tenant's objects are compliant. */
export function checkTenantPolicies(
  objects: readonly KubeObject[],
  context: PolicyContext,
  controls: readonly PolicyControl[] = TENANT_POLICY_CONTROLS,
): PolicyFinding[] {
  return controls.flatMap((c) => c.check(objects, context));
}
