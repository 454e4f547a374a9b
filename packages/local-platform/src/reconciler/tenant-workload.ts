/**
 * What a tenant's synthesized manifests ask to run, read the way the cluster
 * reads them: the `openclaw-config` ConfigMap's data (the OpenClaw config and
 * the secret provider script, byte for byte — never generated a second way),
 * the gateway Deployment's pod template (replicas, security context, init and
 * main containers, env, volumes, probes), and the owner the route's
 * SecurityPolicy admits (what the local edge enforces, as Envoy does). A
 * volume type or env source the local runtime cannot provide (hostPath,
 * `valueFrom`) is refused with the path of the offending field; resource
 * limits and the seccomp profile are not enforced locally (README, "Local
 * differences").
 */
import { createHash } from 'node:crypto';
import { parseIdleTimeoutAnnotation, tenantNames } from '@openclaw-tenancy/shared';
import { parseAllDocuments } from 'yaml';

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly workingDir?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly volumeMounts: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly readOnly: boolean }>;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly containerPort: number }>;
  readonly startupProbe?: HttpProbe;
  readonly readinessProbe?: HttpProbe;
  readonly livenessProbe?: HttpProbe;
}

export interface HttpProbe {
  readonly path: string;
  readonly port: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds: number;
}

export type VolumeSpec =
  | { readonly name: string; readonly kind: 'configMap'; readonly configMap: string; readonly defaultMode: number }
  | { readonly name: string; readonly kind: 'emptyDir' }
  | { readonly name: string; readonly kind: 'persistentVolumeClaim'; readonly claimName: string };

export interface PodSpec {
  readonly terminationGracePeriodSeconds: number;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup?: number;
  readonly initContainers: readonly ContainerSpec[];
  readonly containers: readonly ContainerSpec[];
  readonly volumes: readonly VolumeSpec[];
}

export interface TenantWorkload {
  readonly tenantId: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly pod: PodSpec;
  /** The one `sub` the tenant's SecurityPolicy admits (the registry owner). */
  readonly owner: string;
  /** ConfigMap name → data, for every ConfigMap of the tenant. */
  readonly configMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Changes whenever anything the running pod depends on changes (Kubernetes would roll the pod). */
  readonly revision: string;
  /** Seconds idle before the gateway is stopped until the next request (the Deployment's idle annotation); undefined: never. */
  readonly idleTimeoutSeconds?: number;
}

export class WorkloadSpecError extends Error {
  constructor(tenantId: string, field: string, problem: string) {
    super(`tenant ${tenantId}: ${field} ${problem}`);
    this.name = 'WorkloadSpecError';
  }
}

type Obj = Record<string, unknown>;

/**
 * What the API server would have refused before a kubelet saw it. The local
 * runtime turns these values into host paths, so each is checked here.
 */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkMountPath(mountPath: string, at: string, fail: (field: string, problem: string) => never): void {
  if (!mountPath.startsWith('/') || mountPath.split('/').includes('..') || mountPath.includes(':'))
    fail(at, `${JSON.stringify(mountPath)} must be an absolute path without ".." or ":"`);
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses `deploy/tenants/<id>/manifests.yaml` into the workload of its gateway Deployment. */
export function parseTenantWorkload(tenantId: string, manifestsYaml: string): TenantWorkload {
  const names = tenantNames(tenantId);
  const fail = (field: string, problem: string): never => {
    throw new WorkloadSpecError(tenantId, field, problem);
  };
  const docs = parseAllDocuments(manifestsYaml);
  if (!Array.isArray(docs)) fail('manifests.yaml', 'holds no documents');
  const objects = (docs as Array<{ errors: unknown[]; toJS(): unknown }>).map((d, i) => {
    if (d.errors.length > 0) fail(`document ${i + 1}`, 'is not valid YAML');
    return d.toJS() as Obj;
  });
  const inNamespace = objects.filter((o) => isObj(o.metadata) && (o.metadata as Obj).namespace === names.namespace);

  const configMaps: Record<string, Record<string, string>> = {};
  for (const cm of inNamespace.filter((o) => o.kind === 'ConfigMap')) {
    const data = (cm.data ?? {}) as Obj;
    const cmName = String((cm.metadata as Obj).name);
    for (const key of Object.keys(data)) {
      // The API server's rule; the local runtime writes each key as a file name.
      if (!CONFIG_MAP_KEY.test(key) || key === '.' || key === '..')
        fail(`ConfigMap ${cmName} data key ${JSON.stringify(key)}`, 'is not a valid ConfigMap key ([-._a-zA-Z0-9]+)');
    }
    configMaps[cmName] = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
  }
  const deployment = inNamespace.find((o) => o.kind === 'Deployment' && (o.metadata as Obj).name === names.deployment);
  if (!deployment) return fail(`Deployment ${names.namespace}/${names.deployment}`, 'is missing from the manifests');
  const spec = (deployment.spec ?? {}) as Obj;
  const template = ((spec.template ?? {}) as Obj).spec as Obj | undefined;
  if (!template) return fail('Deployment spec.template.spec', 'is missing');
  const security = (template.securityContext ?? {}) as Obj;
  const runAsUser = security.runAsUser;
  if (typeof runAsUser !== 'number' || runAsUser === 0)
    fail('spec.template.spec.securityContext.runAsUser', 'must be a non-root uid (the local runtime never runs a tenant as root)');

  const volumes = ((template.volumes ?? []) as Obj[]).map((v, i) => parseVolume(v, `spec.template.spec.volumes[${i}]`, fail));
  const pod: PodSpec = {
    terminationGracePeriodSeconds: typeof template.terminationGracePeriodSeconds === 'number' ? template.terminationGracePeriodSeconds : 30,
    runAsUser: runAsUser as number,
    runAsGroup: typeof security.runAsGroup === 'number' ? security.runAsGroup : (runAsUser as number),
    ...(typeof security.fsGroup === 'number' ? { fsGroup: security.fsGroup } : {}),
    initContainers: ((template.initContainers ?? []) as Obj[]).map((c, i) =>
      parseContainer(c, `spec.template.spec.initContainers[${i}]`, fail),
    ),
    containers: ((template.containers ?? []) as Obj[]).map((c, i) => parseContainer(c, `spec.template.spec.containers[${i}]`, fail)),
    volumes,
  };
  if (pod.containers.length !== 1)
    fail('spec.template.spec.containers', `must hold exactly one container (the gateway), found ${pod.containers.length}`);
  for (const container of [...pod.initContainers, ...pod.containers]) {
    for (const mount of container.volumeMounts) {
      const volume = volumes.find((v) => v.name === mount.name);
      if (!volume) fail(`container ${container.name} volumeMounts`, `names volume "${mount.name}", which the pod does not define`);
      if (volume?.kind === 'configMap' && !configMaps[volume.configMap])
        fail(`volume ${volume.name}`, `refers to ConfigMap ${volume.configMap}, which the manifests do not define`);
    }
  }
  const owner = admittedOwner(inNamespace, names.securityPolicy, fail);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const used = volumes.filter((v) => v.kind === 'configMap').map((v) => (v.kind === 'configMap' ? v.configMap : ''));
  const revision = createHash('sha256')
    .update(JSON.stringify({ pod, configMaps: Object.fromEntries(used.map((n) => [n, configMaps[n]])) }))
    .digest('hex')
    .slice(0, 16);
  const idleTimeoutSeconds = parseIdleTimeoutAnnotation(
    (deployment.metadata as Obj).annotations as Record<string, string> | undefined,
    `tenant ${tenantId}: Deployment ${names.deployment}`,
  );
  return {
    tenantId,
    namespace: names.namespace,
    replicas,
    pod,
    owner,
    revision,
    configMaps,
    ...(idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds }),
  };
}

/** The `sub` values of the policy's Allow rules: exactly one, or the local edge could not enforce it. */
function admittedOwner(objects: readonly Obj[], policyName: string, fail: (field: string, problem: string) => never): string {
  const policy = objects.find((o) => o.kind === 'SecurityPolicy' && (o.metadata as Obj).name === policyName);
  if (!policy) return fail(`SecurityPolicy ${policyName}`, 'is missing from the manifests (the edge would admit nobody)');
  const rules = ((((policy.spec ?? {}) as Obj).authorization ?? {}) as Obj).rules;
  const subs = new Set<string>();
  for (const rule of Array.isArray(rules) ? (rules as Obj[]) : []) {
    if (rule.action !== 'Allow') continue;
    const claims = ((((rule.principal ?? {}) as Obj).jwt ?? {}) as Obj).claims;
    for (const claim of Array.isArray(claims) ? (claims as Obj[]) : []) {
      if (claim.name === 'sub' && Array.isArray(claim.values)) claim.values.forEach((v) => subs.add(String(v)));
    }
  }
  if (subs.size !== 1)
    fail(`SecurityPolicy ${policyName} spec.authorization.rules`, `must admit exactly one owner through a "sub" claim, found ${subs.size}`);
  return [...subs][0]!;
}

function parseVolume(v: Obj, at: string, fail: (field: string, problem: string) => never): VolumeSpec {
  const name = String(v.name);
  if (!DNS_LABEL.test(name)) fail(`${at}.name`, `${JSON.stringify(name)} is not a DNS-1123 label`);
  if (isObj(v.configMap)) {
    const mode = v.configMap.defaultMode;
    return { name, kind: 'configMap', configMap: String(v.configMap.name), defaultMode: typeof mode === 'number' ? mode : 0o644 };
  }
  if (isObj(v.emptyDir)) return { name, kind: 'emptyDir' };
  if (isObj(v.persistentVolumeClaim)) {
    const claimName = String(v.persistentVolumeClaim.claimName);
    if (!DNS_SUBDOMAIN.test(claimName))
      fail(`${at}.persistentVolumeClaim.claimName`, `${JSON.stringify(claimName)} is not a DNS-1123 subdomain`);
    return { name, kind: 'persistentVolumeClaim', claimName };
  }
  return fail(
    at,
    `has a volume type the local runtime does not provide (${Object.keys(v)
      .filter((k) => k !== 'name')
      .join(', ')})`,
  );
}

function parseProbe(
  p: unknown,
  ports: ContainerSpec['ports'],
  at: string,
  fail: (field: string, problem: string) => never,
): HttpProbe | undefined {
  if (!isObj(p)) return undefined;
  if (!isObj(p.httpGet)) return fail(at, 'must be an httpGet probe');
  const port = p.httpGet.port;
  const number = typeof port === 'number' ? port : ports.find((x) => x.name === port)?.containerPort;
  if (number === undefined) return fail(`${at}.httpGet.port`, `names port ${String(port)}, which the container does not declare`);
  return {
    path: String(p.httpGet.path ?? '/'),
    port: number,
    periodSeconds: typeof p.periodSeconds === 'number' ? p.periodSeconds : 10,
    failureThreshold: typeof p.failureThreshold === 'number' ? p.failureThreshold : 3,
    timeoutSeconds: typeof p.timeoutSeconds === 'number' ? p.timeoutSeconds : 1,
  };
}

function parseContainer(c: Obj, at: string, fail: (field: string, problem: string) => never): ContainerSpec {
  if (!DNS_LABEL.test(String(c.name))) fail(`${at}.name`, `${JSON.stringify(c.name)} is not a DNS-1123 label`);
  if (typeof c.workingDir === 'string') checkMountPath(c.workingDir, `${at}.workingDir`, fail);
  ((c.volumeMounts ?? []) as Obj[]).forEach((m, i) => checkMountPath(String(m.mountPath), `${at}.volumeMounts[${i}].mountPath`, fail));
  const env: Record<string, string> = {};
  ((c.env ?? []) as Obj[]).forEach((e, i) => {
    if (typeof e.value !== 'string')
      fail(`${at}.env[${i}]`, `(${String(e.name)}) must have a literal value; valueFrom is not available locally`);
    env[String(e.name)] = e.value as string;
  });
  const security = (c.securityContext ?? {}) as Obj;
  const ports = ((c.ports ?? []) as Obj[]).map((p) => ({
    ...(typeof p.name === 'string' ? { name: p.name } : {}),
    containerPort: Number(p.containerPort),
  }));
  const startupProbe = parseProbe(c.startupProbe, ports, `${at}.startupProbe`, fail);
  const readinessProbe = parseProbe(c.readinessProbe, ports, `${at}.readinessProbe`, fail);
  const livenessProbe = parseProbe(c.livenessProbe, ports, `${at}.livenessProbe`, fail);
  return {
    name: String(c.name),
    image: String(c.image),
    command: ((c.command ?? []) as unknown[]).map(String),
    args: ((c.args ?? []) as unknown[]).map(String),
    ...(typeof c.workingDir === 'string' ? { workingDir: c.workingDir } : {}),
    env,
    volumeMounts: ((c.volumeMounts ?? []) as Obj[]).map((m) => ({
      name: String(m.name),
      mountPath: String(m.mountPath),
      readOnly: m.readOnly === true,
    })),
    ...(typeof security.runAsUser === 'number' ? { runAsUser: security.runAsUser } : {}),
    ...(typeof security.runAsGroup === 'number' ? { runAsGroup: security.runAsGroup } : {}),
    ports,
    ...(startupProbe ? { startupProbe } : {}),
    ...(readinessProbe ? { readinessProbe } : {}),
    ...(livenessProbe ? { livenessProbe } : {}),
  };
}
