/**
 * The tenant's gateway as the Kubernetes API reports it: its Deployment, read
 * over HTTPS and checked against the API's own schema for the cluster's
 * version (the vendored standalone-strict schemas), so a response the client
 * misreads is an error, not a wrong answer.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { SchemaValidator } from '@openclaw-tenancy/tenant-manifests';
import { tenantNames } from '@openclaw-tenancy/shared';
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
}

export interface TenantWorkloadReader {
  read(tenantId: string): Promise<WorkloadState>;
}

interface DeploymentObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly template?: { readonly spec?: { readonly containers?: ReadonlyArray<{ readonly image?: string }> } };
  };
  readonly status?: {
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
    const { status, body } = await this.get(`/apis/apps/v1/namespaces/${names.namespace}/deployments/${names.deployment}`);
    if (status === 404) return { deployment: 'absent', desiredReplicas: 0, readyReplicas: 0, updatedReplicas: 0, conditions: [] };
    if (status !== 200)
      throw new Error(
        `GET deployment ${names.namespace}/${names.deployment}: HTTP ${status}${status === 401 || status === 403 ? ' (the kubeconfig user is not allowed to read it)' : ''}`,
      );
    const object = JSON.parse(body) as unknown;
    const issues = this.validator.validate(object, [this.schemaVersion]);
    if (issues.length > 0) {
      throw new Error(
        `the API server's Deployment ${names.namespace}/${names.deployment} does not match the apps/v1 schema of Kubernetes ${this.schemaVersion}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      );
    }
    const d = object as DeploymentObject;
    const image = d.spec?.template?.spec?.containers?.[0]?.image;
    return {
      deployment: 'present',
      desiredReplicas: d.spec?.replicas ?? 1,
      readyReplicas: d.status?.readyReplicas ?? 0,
      updatedReplicas: d.status?.updatedReplicas ?? 0,
      conditions: (d.status?.conditions ?? []).map((c) => `${c.type ?? '?'}=${c.status ?? '?'}`),
      ...(image ? { image } : {}),
    };
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
