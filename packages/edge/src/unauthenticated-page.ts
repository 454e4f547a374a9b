import { SIGNED_OUT_PARAM, WORKSPACE_SIGN_OUT_SUFFIX } from '@openclaw-tenancy/shared';

/**
 * The 401 a browser sees when it opens a workspace without a valid session:
 * a link back to the sign-in page (never an automatic redirect, which could
 * loop with an expired cookie).
 */
export function unauthenticatedPage(tenantId: string | undefined): string {
  const next = encodeURIComponent(tenantId ? `/t/${tenantId}/` : '/');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in required — OpenClaw</title>
<style>body{background:#0a0a12;color:#e5e7eb;font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:28rem;padding:2rem;text-align:center}a{color:#a5b4fc}</style></head>
<body><main><h1>Sign in required</h1><p>Your session has ended or you are not signed in.</p>
<p><a href="/?next=${next}">Sign in to open your workspace</a></p></main></body></html>
`;
}

/**
 * The 403 a signed-in browser sees at a workspace that is not its own: says
 * so plainly, links to the user's own workspace and to signing out. It names
 * nothing about the workspace's owner, and an unknown workspace gets the same
 * page as someone else's.
 */
export function forbiddenPage(ownTenantId: string | undefined): string {
  // Signing out needs the user's own route (its cookie is scoped there); without it the auth UI signs out.
  const signOut = ownTenantId ? `/t/${ownTenantId}${WORKSPACE_SIGN_OUT_SUFFIX}` : `/?${SIGNED_OUT_PARAM}=1`;
  const own = ownTenantId ? `/t/${ownTenantId}/` : '/';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not your workspace — OpenClaw</title>
<style>body{background:#0a0a12;color:#e5e7eb;font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:28rem;padding:2rem;text-align:center}a{color:#a5b4fc}</style></head>
<body><main><h1>This workspace is not yours</h1><p>You are signed in, but this address belongs to another account, or to no workspace at all.</p>
<p><a href="${own}">Open your own workspace</a></p><p><a href="${signOut}">Sign out</a></p></main></body></html>
`;
}
