/**
 * `npm run start -w @openclaw-tenancy/edge -- --issuer … --audience … --jwks-uri … --upstream alice=10.203.0.1:18789`
 *
 * Static upstreams only; the local platform embeds `startEdge` with a live
 * resolver instead.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuthUiRuntimeConfig, authUiRuntimeConfigProblems, isValidTenantId } from '@openclaw-tenancy/shared';
import { startEdge } from './edge-server';
import type { UpstreamTarget } from './upstream';

const USAGE = `usage: openclaw-edge --issuer URL --audience CLIENT_ID --jwks-uri URL
  [--host 127.0.0.1] [--port 8080] [--upstream TENANT=OWNER_SUB@HOST:PORT ...]
  [--auth-ui-dir packages/auth-ui/dist --config-json config.json] [--forwarded-for 203.0.113.7] [--forwarded-proto http|https]

Enforces the edge contract on /t/<tenant-id>/ (HTTP and WebSocket). With --auth-ui-dir it also
serves the auth UI and runs the session endpoint (/_session/sign-in, /refresh, /sign-out) against
the Cognito endpoint and client of config.json, setting HttpOnly session cookies.`;

function fail(message: string): never {
  process.stderr.write(`openclaw-edge: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseUpstream(spec: string): [string, UpstreamTarget] {
  const m = /^([a-z0-9-]+)=([^@\s]+)@([^:@\s]+|\[[^\]]+\]):(\d{1,5})$/.exec(spec);
  if (!m || !isValidTenantId(m[1] ?? ''))
    fail(`--upstream ${JSON.stringify(spec)}: expected TENANT=OWNER_SUB@HOST:PORT with a valid tenant id`);
  return [m[1]!, { owner: m[2]!, host: m[3]!.replace(/^\[|\]$/g, ''), port: Number(m[4]) }];
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { values } = parseArgs({
    options: {
      issuer: { type: 'string' },
      audience: { type: 'string' },
      'jwks-uri': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      upstream: { type: 'string', multiple: true, default: [] },
      'auth-ui-dir': { type: 'string' },
      'config-json': { type: 'string' },
      'forwarded-for': { type: 'string' },
      'forwarded-proto': { type: 'string', default: 'http' },
    },
  });
  const { issuer, audience } = values;
  const jwksUri = values['jwks-uri'];
  if (!issuer || !audience || !jwksUri) fail('--issuer, --audience and --jwks-uri are required');
  const proto = values['forwarded-proto'];
  if (proto !== 'http' && proto !== 'https') fail('--forwarded-proto must be http or https');
  let authUi: { directory: string; runtimeConfig: AuthUiRuntimeConfig } | undefined;
  if (values['auth-ui-dir']) {
    if (!values['config-json']) fail('--auth-ui-dir needs --config-json (the generated runtime config)');
    const raw: unknown = JSON.parse(readFileSync(values['config-json'], 'utf8'));
    const problems = authUiRuntimeConfigProblems(raw);
    if (problems.length > 0) fail(`${values['config-json']}: ${problems.join('; ')}`);
    authUi = { directory: values['auth-ui-dir'], runtimeConfig: raw as AuthUiRuntimeConfig };
  }
  const upstreams = new Map((values.upstream ?? []).map(parseUpstream));
  const edge = await startEdge({
    identity: { issuer, audience, jwksUri },
    resolveUpstream: (tenantId) => upstreams.get(tenantId),
    host: values.host,
    port: Number(values.port),
    ...(authUi ? { authUi } : {}),
    ...(values['forwarded-for'] ? { forwardedFor: values['forwarded-for'] } : {}),
    forwardedProto: proto,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`openclaw-edge listening on ${edge.url}\n`);
  const stop = (): void => void edge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => fail((error as Error).message));
