/**
 * Serves the built auth UI and its generated `/config.json`, with the same
 * path mapping as the CloudFront function in the cloud: `/terms` and
 * `/privacy` are real pages, never rewritten to the login page.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AUTH_UI_CONFIG_PATH,
  AUTH_UI_SECURITY_HEADERS,
  AuthUiRuntimeConfig,
  authUiContentSecurityPolicy,
  cognitoEndpointOf,
} from '@openclaw-tenancy/shared';

/** Clean URLs of the site (as the CloudFront function maps them). */
export const AUTH_UI_PAGES: Readonly<Record<string, string>> = { '/': 'index.html', '/terms': 'terms.html', '/privacy': 'privacy.html' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

export interface AuthUiSiteOptions {
  /** Directory of the built site (`packages/auth-ui/dist`). */
  readonly directory: string;
  readonly runtimeConfig: AuthUiRuntimeConfig;
}

/** The same headers CloudFront's response headers policy sends (one definition, in shared). */
function securityHeaders(config: AuthUiRuntimeConfig): Record<string, string> {
  return { 'content-security-policy': authUiContentSecurityPolicy(new URL(cognitoEndpointOf(config)).origin), ...AUTH_UI_SECURITY_HEADERS };
}

/** Answers the request if it is a page or file of the site; returns false to let the caller 404. */
export async function serveAuthUi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: AuthUiSiteOptions,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (pathname === AUTH_UI_CONFIG_PATH) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(options.runtimeConfig));
    return true;
  }
  const relative = AUTH_UI_PAGES[pathname] ?? pathname.slice(1);
  const root = path.resolve(options.directory);
  const file = path.resolve(root, relative);
  // The pathname is already dot-segment normalized; this also refuses encoded separators.
  if (relative === '' || !file.startsWith(root + path.sep)) return false;
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return false;
  }
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'cache-control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=300',
    ...securityHeaders(options.runtimeConfig),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
