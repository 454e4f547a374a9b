/**
 * Mints the contract's tokens from their recipes with a test RSA key, and
 * serves that key as a JWKS the way a Cognito pool does. The attack recipes
 * are built by hand (jose refuses to produce most of them, rightly).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TENANT_ID_CLAIM } from '@openclaw-tenancy/shared';
import { EDGE_VECTOR_USERS, EdgeTokenContext, EdgeTokenRecipe, edgeTokenClaims } from '@openclaw-tenancy/shared/testing';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
const KID = 'pool-key-1';

export interface TokenMinter {
  readonly context: EdgeTokenContext;
  readonly jwksUri: string;
  mint(recipe: EdgeTokenRecipe): Promise<string>;
  /** How many times the JWKS was fetched (the edge must cache it). */
  jwksFetches(): number;
  close(): Promise<void>;
}

const b64 = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export async function startTokenMinter(audience = 'edgecontractclient000001'): Promise<TokenMinter> {
  const jose: Jose = await import('jose');
  const pool = await jose.generateKeyPair('RS256', { extractable: true });
  const foreign = await jose.generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await jose.exportJWK(pool.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const publicPem = await jose.exportSPKI(pool.publicKey);
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches += 1;
    if (req.url?.endsWith('/.well-known/jwks.json'))
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local_EdgePool01`;
  const context: EdgeTokenContext = { issuer: base, audience };

  async function mint(recipe: EdgeTokenRecipe): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = edgeTokenClaims(recipe, context, now);
    const sign = (key: typeof pool.privateKey, body: Record<string, unknown>) =>
      new jose.SignJWT(body).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
    switch (recipe.signing ?? 'pool-key') {
      case 'pool-key':
        return sign(pool.privateKey, claims);
      case 'foreign-key':
        return sign(foreign.privateKey, claims);
      case 'tampered-payload': {
        // A genuine token whose payload was edited to claim alice's identity and tenant.
        const [header, , signature] = (await sign(pool.privateKey, claims)).split('.');
        const edited = { ...claims, sub: EDGE_VECTOR_USERS.alice.sub, [TENANT_ID_CLAIM]: EDGE_VECTOR_USERS.alice.tenantId };
        return `${header}.${b64(edited)}.${signature}`;
      }
      case 'alg-none':
        return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      case 'hs256-with-public-key': {
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: KID })}.${b64(claims)}`;
        return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
      }
    }
  }

  return {
    context,
    jwksUri: `${base}/.well-known/jwks.json`,
    mint,
    jwksFetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
