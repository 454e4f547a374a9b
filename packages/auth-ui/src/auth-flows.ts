/** The account flows, each one Cognito call (or a few), independent of the page. */
import { AuthUiRuntimeConfig, cognitoEndpointOf } from '@openclaw-tenancy/shared';
import { AuthenticationResult, CognitoError, callCognito } from './cognito-api';
import { IdTokenView, readIdToken } from './id-token';

export interface SignedIn {
  readonly idToken: string;
  readonly refreshToken: string;
  readonly view: IdTokenView;
}

export class AuthFlows {
  private readonly endpoint: string;

  constructor(private readonly config: AuthUiRuntimeConfig) {
    this.endpoint = cognitoEndpointOf(config);
  }

  async signUp(email: string, password: string, name: string): Promise<{ confirmed: boolean }> {
    const out = await callCognito<{ UserConfirmed: boolean }>(this.endpoint, 'SignUp', {
      ClientId: this.config.clientId,
      Username: email,
      Password: password,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'name', Value: name },
      ],
    });
    return { confirmed: out.UserConfirmed };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    await callCognito(this.endpoint, 'ConfirmSignUp', { ClientId: this.config.clientId, Username: email, ConfirmationCode: code });
  }

  async resendCode(email: string): Promise<void> {
    await callCognito(this.endpoint, 'ResendConfirmationCode', { ClientId: this.config.clientId, Username: email });
  }

  async signIn(email: string, password: string): Promise<SignedIn> {
    const out = await callCognito<{ AuthenticationResult?: AuthenticationResult; ChallengeName?: string }>(this.endpoint, 'InitiateAuth', {
      ClientId: this.config.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    const result = out.AuthenticationResult;
    if (!result?.RefreshToken) throw new CognitoError(out.ChallengeName ?? 'UnsupportedChallenge', 'an additional sign-in step is required');
    return { idToken: result.IdToken, refreshToken: result.RefreshToken, view: readIdToken(result.IdToken) };
  }

  /** A fresh ID token from the refresh token (no password); also how a late tenant claim is picked up. */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const out = await callCognito<{ AuthenticationResult?: AuthenticationResult }>(this.endpoint, 'InitiateAuth', {
      ClientId: this.config.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    const result = out.AuthenticationResult;
    if (!result) throw new CognitoError('NotAuthorizedException', 'no tokens in the refresh answer');
    return { idToken: result.IdToken, refreshToken: result.RefreshToken ?? refreshToken, view: readIdToken(result.IdToken) };
  }

  async forgotPassword(email: string): Promise<void> {
    await callCognito(this.endpoint, 'ForgotPassword', { ClientId: this.config.clientId, Username: email });
  }

  async resetPassword(email: string, code: string, password: string): Promise<void> {
    await callCognito(this.endpoint, 'ConfirmForgotPassword', { ClientId: this.config.clientId, Username: email, ConfirmationCode: code, Password: password });
  }

  /** Ends the session server-side: the refresh token (and tokens issued from it) stop working. */
  async revoke(refreshToken: string): Promise<void> {
    await callCognito(this.endpoint, 'RevokeToken', { ClientId: this.config.clientId, Token: refreshToken });
  }
}

/**
 * PostConfirmation writes the tenant claim synchronously, so the first
 * sign-in usually has it; if not, refresh a few times before giving up.
 */
export async function withTenantClaim(flows: AuthFlows, signedIn: SignedIn, attempts = 5, delayMs = 1500): Promise<SignedIn> {
  let current = signedIn;
  for (let i = 0; i < attempts && !current.view.tenantId; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    current = await flows.refresh(current.refreshToken);
  }
  return current;
}
