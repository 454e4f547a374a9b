/**
 * cognito-local 5.3.0 does not implement ResendConfirmationCode (HTTP 500
 * "Unsupported x-amz-target"). This proxy in front of it answers that one
 * action the way Cognito does — a new code for an unconfirmed user,
 * InvalidParameterException for a confirmed one — by asking cognito-local
 * for a ForgotPassword code, which it stores in the same `ConfirmationCode`
 * field ConfirmSignUp checks. Everything else passes through unchanged.
 * The local platform needs the same shim (reported to its owner).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResendShim {
  readonly endpoint: string;
  close(): Promise<void>;
}

const CORS = { 'access-control-allow-origin': '*' };

export async function startResendShim(upstream: string, userPoolId: () => string): Promise<ResendShim> {
  async function call(target: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function resend(body: { ClientId?: string; Username?: string }): Promise<{ status: number; json: Record<string, unknown> }> {
    const user = await call('AdminGetUser', { UserPoolId: userPoolId(), Username: body.Username });
    if (user.status !== 200) return user;
    if (user.json['UserStatus'] !== 'UNCONFIRMED')
      return { status: 400, json: { __type: 'InvalidParameterException', message: 'User is already confirmed.' } };
    return call('ForgotPassword', { ClientId: body.ClientId, Username: body.Username });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const answer =
        req.method === 'POST' && target.endsWith('.ResendConfirmationCode')
          ? resend(JSON.parse(body.toString('utf8')) as { ClientId?: string; Username?: string }).then(({ status, json }) => ({
              status,
              headers: { ...CORS, 'content-type': 'application/x-amz-json-1.1' } as Record<string, string>,
              body: Buffer.from(JSON.stringify(json)),
            }))
          : fetch(`${upstream}${req.url ?? '/'}`, {
              method: req.method ?? 'GET',
              headers: Object.fromEntries(
                Object.entries(req.headers)
                  .filter(([k]) => !['host', 'connection', 'content-length'].includes(k))
                  .map(([k, v]) => [k, String(v)]),
              ),
              ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
            }).then(async (r) => ({
              status: r.status,
              headers: Object.fromEntries(
                [...r.headers.entries()].filter(
                  ([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k),
                ),
              ),
              body: Buffer.from(await r.arrayBuffer()),
            }));
      answer
        .then((a) => res.writeHead(a.status, a.headers).end(a.body))
        .catch((e: Error) => res.writeHead(502, CORS).end(JSON.stringify({ __type: 'ShimError', message: e.message })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
