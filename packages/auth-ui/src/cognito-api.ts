/**
 * Cognito's JSON API, called directly with fetch (the same wire protocol the
 * AWS SDK uses): POST to the endpoint with `X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Action>`.
 */
export class CognitoError extends Error {
  constructor(
    /** `__type` of the error, e.g. `CodeMismatchException`; `NetworkError` when the endpoint was unreachable. */
    public readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

/** The actions page script may call: none of them returns a token (sign-in goes through the session endpoint). */
export type CognitoAction = 'SignUp' | 'ConfirmSignUp' | 'ResendConfirmationCode' | 'ForgotPassword' | 'ConfirmForgotPassword';

export async function callCognito<T>(endpoint: string, action: CognitoAction, body: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new CognitoError('NetworkError', 'the sign-in service could not be reached');
  }
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!response.ok) {
    // `__type` may be namespaced (`com.amazonaws…#CodeMismatchException`).
    const type =
      String(json['__type'] ?? json['code'] ?? 'UnknownError')
        .split('#')
        .pop() ?? 'UnknownError';
    throw new CognitoError(type, String(json['message'] ?? json['Message'] ?? ''));
  }
  return json as T;
}
