/**
 * The viewer-request CloudFront Function of the auth UI (cloudfront-js-2.0).
 * The site is a single-page app: an extension-less path is a client-side
 * route and is served `/index.html`. Exceptions: the legal pages are real
 * files (`/terms` → `/terms.html`, never rewritten to the SPA), and
 * `/t/...` belongs to the tenant gateways, never to the SPA.
 */

/** Legal pages served as static HTML files next to index.html. */
export const LEGAL_PAGES = ['/terms', '/privacy'] as const;

/** Path prefix of tenant workspaces (`/t/<tenant-id>`); also the CloudFront behaviour to the VPC origin. */
export const TENANT_PATH_PATTERN = '/t/*';

export const SPA_REWRITE_FUNCTION_CODE = `
var LEGAL_PAGES = ${JSON.stringify(LEGAL_PAGES)};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/t/') === 0) {
    return request;
  }
  var trimmed = uri.length > 1 && uri.charAt(uri.length - 1) === '/' ? uri.slice(0, -1) : uri;
  if (LEGAL_PAGES.indexOf(trimmed) !== -1) {
    request.uri = trimmed + '.html';
    return request;
  }
  if (uri === '/' || uri.split('/').pop().indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`.trim();
