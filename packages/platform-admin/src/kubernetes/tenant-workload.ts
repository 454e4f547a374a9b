/**
 * The tenant's gateway as the Kubernetes API reports it: its Deployment and
 * the Argo CD Application that deploys it, read over HTTPS and checked against
 * the API's own schemas (the vendored standalone-strict schemas for the
 * cluster's version, the Application CRD's), so a response the client
 * misreads is an error, not a wrong answer.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { SchemaValidator } from '@openclaw-tenancy/tenant-manifests';
import { PLATFORM_NAMES, tenantNames } from '@openclaw-tenancy/shared';
import type { KubernetesEndpoint } from './kubeconfig';

export interface WorkloadState {
  readonly deployment: 'present' | 'absent';
  /** Pods the Deployment wants (0 while suspended). */
  readonly desiredReplicas: number;
  readonly readyReplicas: number;
  readonly updatedReplicas: number;
  /** `Available=True`, `Progressing=True`, … */
  readonly conditions: readonly string[];
  /** The container image the Deployment runs. */
  readonly image?: string;
  /** The status describes the current spec (`status.observedGeneration` has reached `metadata.generation`). */
  readonly observed: boolean;
  /** What Argo CD says of the tenant's Application (`tenant-<id>`). */
  readonly application: ApplicationState;
}

export type ApplicationState =
  | { readonly state: 'absent' }
  | {
      readonly state: 'present';
      /** `Synced`, `OutOfSync`, `Unknown`. */
      readonly sync: string;
      /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown`. */
      readonly health: string;
      /** The Git revision Argo CD last compared with. */
      readonly revision?: string;
      /** The phase of the last sync operation (`Succeeded`, `Failed`, `Running`, …). */
      readonly lastSync?: string;
    };

interface ApplicationObject {
  readonly status?: {
    readonly sync?: { readonly status?: string; readonly revision?: string };
    readonly health?: { readonly status?: string };
    readonly operationState?: { readonly phase?: string };
  };
}

export interface TenantWorkloadReader {
  read(tenantId: string): Promise<WorkloadState>;
}

interface DeploymentObject {
  readonly metadata?: { readonly generation?: number };
  readonly spec?: {
    readonly replicas?: number;
    readonly template?: { readonly spec?: { readonly containers?: ReadonlyArray<{ readonly image?: string }> } };
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly readyReplicas?: number;
    readonly updatedReplicas?: number;
    readonly conditions?: ReadonlyArray<{ readonly type?: string; readonly status?: string }>;
  };
}

export class KubernetesTenantWorkload implements TenantWorkloadReader {
  constructor(
    private readonly endpoint: KubernetesEndpoint,
    /** The vendored schema version the cluster's responses are checked against, e.g. `1.31.0`. */
    private readonly schemaVersion: string,
    private readonly validator: SchemaValidator = new SchemaValidator(),
  ) {}

  async read(tenantId: string): Promise<WorkloadState> {
    const names = tenantNames(tenantId);
    const application = await this.readApplication(names.argoApplication);
    const d = await this.readObject<DeploymentObject>(
      `/apis/apps/v1/namespaces/${names.namespace}/deployments/${names.deployment}`,
      `Deployment ${names.namespace}/${names.deployment}`,
    );
    if (!d)
      return {
        deployment: 'absent',
        desiredReplicas: 0,
        readyReplicas: 0,
        updatedReplicas: 0,
        conditions: [],
        observed: false,
        application,
      };
    const image = d.spec?.template?.spec?.containers?.[0]?.image;
    return {
      application,
      deployment: 'present',
      desiredReplicas: d.spec?.replicas ?? 1,
      readyReplicas: d.status?.readyReplicas ?? 0,
      updatedReplicas: d.status?.updatedReplicas ?? 0,
      conditions: (d.status?.conditions ?? []).map((c) => `${c.type ?? '?'}=${c.status ?? '?'}`),
      observed: (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1),
      ...(image ? { image } : {}),
    };
  }

  private async readApplication(name: string): Promise<ApplicationState> {
    const app = await this.readObject<ApplicationObject>(
      `/apis/argoproj.io/v1alpha1/namespaces/${PLATFORM_NAMES.argoCdNamespace}/applications/${name}`,
      `Argo CD Application ${PLATFORM_NAMES.argoCdNamespace}/${name}`,
    );
    if (!app) return { state: 'absent' };
    const { sync, health, operationState } = app.status ?? {};
    return {
      state: 'present',
      sync: sync?.status ?? 'Unknown',
      health: health?.status ?? 'Unknown',
      ...(sync?.revision ? { revision: sync.revision } : {}),
      ...(operationState?.phase ? { lastSync: operationState.phase } : {}),
    };
  }

  /** The object at `path`, checked against its schema; undefined when the API server has none (404). */
  private async readObject<T>(path: string, what: string): Promise<T | undefined> {
    const { status, body } = await this.get(path);
    if (status === 404) return undefined;
    if (status !== 200)
      throw new Error(
        `GET ${what}: HTTP ${status}${status === 401 || status === 403 ? ' (the kubeconfig user is not allowed to read it)' : ''}`,
      );
    const object = JSON.parse(body) as unknown;
    const issues = this.validator.validate(object, [this.schemaVersion], 'api-server');
    if (issues.length > 0) {
      throw new Error(
        `the API server's ${what} does not match its schema (Kubernetes ${this.schemaVersion}): ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      );
    }
    return object as T;
  }

  private async get(path: string): Promise<{ status: number; body: string }> {
    const token = await this.endpoint.token();
    const url = new URL(path, this.endpoint.server);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'GET',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          timeout: 15_000,
          ...(this.endpoint.caPem ? { ca: this.endpoint.caPem } : {}),
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`GET ${url.origin}${path} timed out`)));
      request.on('error', reject);
      request.end();
    });
  }
}

/** The vendored schema version for a cluster version: the newest vendored one not newer than it, else the oldest. */
export function schemaVersionFor(kubernetesVersion: string, vendored: readonly string[]): string {
  const minor = (v: string) => Number(v.split('.')[1] ?? 0);
  const sorted = [...vendored].sort((a, b) => minor(a) - minor(b));
  return [...sorted].reverse().find((v) => minor(v) <= minor(kubernetesVersion)) ?? (sorted[0] as string);
}
