/**
 * The 401 a browser sees when it opens a workspace without a valid session:
 * a link back to the sign-in page (never an automatic redirect, which could
 * loop with an expired cookie).
 */
export function unauthenticatedPage(tenantId: string): string {
  const next = encodeURIComponent(`/t/${tenantId}/`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in required — OpenClaw</title>
<style>body{background:#0a0a12;color:#e5e7eb;font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:28rem;padding:2rem;text-align:center}a{color:#a5b4fc}</style></head>
<body><main><h1>Sign in required</h1><p>Your session has ended or you are not signed in.</p>
<p><a href="/?next=${next}">Sign in to open your workspace</a></p></main></body></html>
`;
}
