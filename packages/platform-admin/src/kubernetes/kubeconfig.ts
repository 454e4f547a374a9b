/**
 * The API server and credential a kubeconfig's current context names, read
 * the way kubectl reads them: a bearer token, or the `exec` plugin's
 * ExecCredential (EKS: `aws eks get-token`). Client certificates and other
 * auth providers are refused with a clear error rather than half supported.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { parse } from 'yaml';

export interface KubernetesEndpoint {
  /** `https://…` (or `http://` for a local API server). */
  readonly server: string;
  /** PEM of the cluster's CA, when the kubeconfig has one. */
  readonly caPem?: string;
  /** Returns a bearer token; runs the exec plugin on each call. */
  token(): Promise<string>;
}

export class KubeconfigError extends Error {
  constructor(file: string, message: string) {
    super(`kubeconfig ${file}: ${message}`);
    this.name = 'KubeconfigError';
  }
}

interface Named<T> {
  readonly name?: string;
  readonly cluster?: T;
  readonly user?: T;
  readonly context?: T;
}
interface RawKubeconfig {
  readonly 'current-context'?: string;
  readonly contexts?: Array<Named<{ cluster?: string; user?: string }>>;
  readonly clusters?: Array<Named<{ server?: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string }>>;
  readonly users?: Array<
    Named<{ token?: string; exec?: { command?: string; args?: string[]; env?: Array<{ name: string; value: string }> } }>
  >;
}

const run = promisify(execFile);

export function readKubeconfig(file: string): KubernetesEndpoint {
  let raw: RawKubeconfig;
  try {
    raw = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as RawKubeconfig;
  } catch (e) {
    throw new KubeconfigError(file, e instanceof Error ? e.message : String(e));
  }
  const contextName = raw['current-context'];
  const context = raw.contexts?.find((c) => c.name === contextName)?.context;
  if (!contextName || !context) throw new KubeconfigError(file, `current-context "${contextName ?? ''}" is not among its contexts`);
  const cluster = raw.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = raw.users?.find((u) => u.name === context.user)?.user;
  if (!cluster?.server) throw new KubeconfigError(file, `cluster "${context.cluster ?? ''}" of context ${contextName} has no server`);
  if (!/^https?:\/\//.test(cluster.server)) throw new KubeconfigError(file, `server ${cluster.server} is not an http(s) URL`);
  const caPem = cluster['certificate-authority-data']
    ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8')
    : cluster['certificate-authority']
      ? fs.readFileSync(cluster['certificate-authority'], 'utf8')
      : undefined;
  if (!user) throw new KubeconfigError(file, `user "${context.user ?? ''}" of context ${contextName} is not among its users`);
  const { token: staticToken, exec } = user;
  if (staticToken) return { server: cluster.server, ...(caPem ? { caPem } : {}), token: async () => staticToken };
  if (exec?.command) {
    const command = exec.command;
    return {
      server: cluster.server,
      ...(caPem ? { caPem } : {}),
      token: async () => {
        const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
        const { stdout } = await run(command, exec.args ?? [], { env, timeout: 30_000 });
        const token = (JSON.parse(stdout) as { status?: { token?: string } }).status?.token;
        if (!token) throw new KubeconfigError(file, `the exec plugin ${command} returned no status.token`);
        return token;
      },
    };
  }
  throw new KubeconfigError(
    file,
    `user "${context.user ?? ''}" has neither a token nor an exec plugin (client certificates are not supported)`,
  );
}
