/**
 * The account flows. Sign-up, confirmation and password reset call Cognito
 * directly (no token is involved); sign-in, refresh and sign-out go through
 * the session endpoint on this origin, so no token ever reaches page script.
 */
import {
  AuthUiRuntimeConfig,
  SESSION_BODY_HASH_HEADER,
  SESSION_PATHS,
  SessionChallenge,
  SessionView,
  cognitoEndpointOf,
  sessionBodyHash,
} from '@openclaw-tenancy/shared';
import { CognitoError, callCognito } from './cognito-api';

export class AuthFlows {
  private readonly endpoint: string;

  constructor(private readonly config: AuthUiRuntimeConfig) {
    this.endpoint = cognitoEndpointOf(config);
  }

  async signUp(email: string, password: string, name: string): Promise<{ confirmed: boolean }> {
    const out = await callCognito<{ UserConfirmed: boolean }>(this.endpoint, 'SignUp', {
      ClientId: this.config.clientId,
      // The e-mail is the username; Cognito records it as the `email` attribute, which the app client may not write.
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'name', Value: name }],
    });
    return { confirmed: out.UserConfirmed };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    await callCognito(this.endpoint, 'ConfirmSignUp', { ClientId: this.config.clientId, Username: email, ConfirmationCode: code });
  }

  async resendCode(email: string): Promise<void> {
    await callCognito(this.endpoint, 'ResendConfirmationCode', { ClientId: this.config.clientId, Username: email });
  }

  /**
   * Signs in through the session endpoint, which keeps the tokens in HttpOnly cookies; the page learns only the view,
   * or that an invited user must choose a password first ({@link completeNewPassword}).
   */
  async signIn(email: string, password: string): Promise<SessionView | SessionChallenge> {
    return callSessionEndpoint<SessionView | SessionChallenge>(SESSION_PATHS.signIn, { email, password });
  }

  /**
   * Answers the new-password challenge of the sign-in just made (its session is an HttpOnly cookie of the endpoint);
   * a pool that requires MFA may ask for an authenticator next.
   */
  async completeNewPassword(email: string, newPassword: string): Promise<SessionView | SessionChallenge> {
    return callSessionEndpoint<SessionView | SessionChallenge>(SESSION_PATHS.newPassword, { email, newPassword });
  }

  /** Answers the sign-in's authenticator challenge with the app's current code. */
  async completeMfaCode(email: string, code: string): Promise<SessionView | SessionChallenge> {
    return callSessionEndpoint<SessionView | SessionChallenge>(SESSION_PATHS.mfaCode, { email, code });
  }

  /** Completes the set-up of an authenticator app with its first code, and with it the sign-in. */
  async completeMfaSetup(email: string, code: string): Promise<SessionView | SessionChallenge> {
    return callSessionEndpoint<SessionView | SessionChallenge>(SESSION_PATHS.mfaSetup, { email, code });
  }

  /**
   * A fresh ID token cookie from the refresh cookie (no password); also how a
   * late or moved tenant claim is picked up. `previousTenantId`'s cookie is
   * expired when the claim names another workspace now. `undefined`: not signed in (no refresh cookie).
   */
  async refresh(previousTenantId?: string): Promise<SessionView | undefined> {
    return callSessionEndpoint<SessionView | undefined>(SESSION_PATHS.refresh, previousTenantId ? { previousTenantId } : {});
  }

  async forgotPassword(email: string): Promise<void> {
    await callCognito(this.endpoint, 'ForgotPassword', { ClientId: this.config.clientId, Username: email });
  }

  async resetPassword(email: string, code: string, password: string): Promise<void> {
    await callCognito(this.endpoint, 'ConfirmForgotPassword', {
      ClientId: this.config.clientId,
      Username: email,
      ConfirmationCode: code,
      Password: password,
    });
  }

  /**
   * Ends the session: the edge refuses this user's tokens from now on, the
   * refresh token is revoked at Cognito, and every session cookie expires.
   * `everywhere` is false when Cognito could not be reached to revoke it.
   */
  async signOut(tenantId?: string): Promise<{ everywhere: boolean }> {
    return callSessionEndpoint<{ everywhere: boolean }>(SESSION_PATHS.signOut, tenantId ? { tenantId } : {});
  }
}

/**
 * PostConfirmation writes the tenant claim synchronously, so the first
 * sign-in usually has it; if not, refresh a few times before giving up.
 */
export async function withTenantClaim(flows: AuthFlows, session: SessionView, attempts = 5, delayMs = 1500): Promise<SessionView> {
  let current = session;
  for (let i = 0; i < attempts && !current.tenantId; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    // Signed out meanwhile (another tab): keep what the sign-in returned; the workspace then refuses it.
    current = (await flows.refresh()) ?? current;
  }
  return current;
}

/** POSTs JSON to the session endpoint on this origin; a refusal becomes a {@link CognitoError} of the same type. */
async function callSessionEndpoint<T>(path: string, body: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    const text = JSON.stringify(body);
    // In AWS, CloudFront signs the request to the session function, and Lambda needs the payload's hash for that.
    const headers = { 'content-type': 'application/json', [SESSION_BODY_HASH_HEADER]: await sessionBodyHash(text) };
    response = await fetch(path, { method: 'POST', headers, body: text, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new CognitoError('NetworkError', 'the sign-in service could not be reached');
  }
  // The session endpoint's "not signed in" (a refresh without a refresh cookie).
  if (response.status === 204) return undefined as T;
  let json: Record<string, unknown> = {};
  try {
    json = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new CognitoError('SessionEndpointUnavailable', `the session endpoint answered HTTP ${response.status} without JSON`);
  }
  if (!response.ok) throw new CognitoError(String(json['error'] ?? 'UnknownError'), String(json['message'] ?? ''));
  return json as T;
}
