/**
 * Where the session lives in the browser: the refresh token in localStorage
 * (so a returning user is not asked for the password), the ID token in the
 * `openclaw_session` cookie scoped to the tenant's route (so only that
 * workspace's requests carry it, and never in a URL).
 */
import { EDGE_SESSION_COOKIE, tenantNames } from '@openclaw-tenancy/shared';

const STORAGE_KEY = 'openclaw.auth.session.v1';

export interface StoredSession {
  readonly email: string;
  readonly refreshToken: string;
  /** Known once the ID token carries it; needed to expire the route-scoped cookie at sign-out. */
  readonly tenantId?: string;
}

export function loadSession(): StoredSession | undefined {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<StoredSession> | null;
    if (!raw || typeof raw.email !== 'string' || typeof raw.refreshToken !== 'string') return undefined;
    return { email: raw.email, refreshToken: raw.refreshToken, ...(typeof raw.tenantId === 'string' ? { tenantId: raw.tenantId } : {}) };
  } catch {
    return undefined;
  }
}

export function saveSession(session: StoredSession): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}

function cookieAttributes(tenantId: string, maxAgeSeconds: number): string {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  return `Path=${tenantNames(tenantId).routePath}; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setWorkspaceCookie(tenantId: string, idToken: string, expiresAtSeconds: number): void {
  const remaining = Math.max(0, Math.floor(expiresAtSeconds - Date.now() / 1000));
  document.cookie = `${EDGE_SESSION_COOKIE}=${idToken}; ${cookieAttributes(tenantId, remaining)}`;
}

export function expireWorkspaceCookie(tenantId: string): void {
  document.cookie = `${EDGE_SESSION_COOKIE}=; ${cookieAttributes(tenantId, 0)}`;
}
