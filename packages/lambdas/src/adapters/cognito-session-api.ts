/**
 * The session endpoint's Cognito port over the AWS SDK: the same actions and
 * inputs the local edge posts to Cognito's JSON API, sent as SDK commands.
 * These are app-client calls (no IAM: Cognito authorizes them by client id
 * and token), so the function's role needs no Cognito permission.
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoCallError, SessionCognitoActions, SessionCognitoCall } from '@openclaw-tenancy/shared';
import { awsErrorName } from './aws-error-name';

/** The HTTP status of an SDK service error; undefined when no answer arrived (DNS, connection, timeout). */
function httpStatusOf(e: unknown): number | undefined {
  const status = (e as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function cognitoSessionApi(client: CognitoIdentityProviderClient): SessionCognitoCall {
  const send = async (
    action: keyof SessionCognitoActions,
    input: SessionCognitoActions[keyof SessionCognitoActions]['input'],
  ): Promise<unknown> => {
    try {
      switch (action) {
        case 'InitiateAuth':
          return await client.send(new InitiateAuthCommand(input as SessionCognitoActions['InitiateAuth']['input']));
        case 'GetTokensFromRefreshToken':
          return await client.send(
            new GetTokensFromRefreshTokenCommand(input as SessionCognitoActions['GetTokensFromRefreshToken']['input']),
          );
        case 'RespondToAuthChallenge':
          return await client.send(new RespondToAuthChallengeCommand(input as SessionCognitoActions['RespondToAuthChallenge']['input']));
        case 'RevokeToken':
          return await client.send(new RevokeTokenCommand(input as SessionCognitoActions['RevokeToken']['input']));
        case 'AssociateSoftwareToken':
          return await client.send(new AssociateSoftwareTokenCommand(input as SessionCognitoActions['AssociateSoftwareToken']['input']));
        case 'VerifySoftwareToken':
          return await client.send(new VerifySoftwareTokenCommand(input as SessionCognitoActions['VerifySoftwareToken']['input']));
      }
    } catch (e) {
      const status = httpStatusOf(e);
      if (status === undefined) throw new CognitoCallError('NetworkError', undefined, 'the sign-in service could not be reached');
      throw new CognitoCallError(awsErrorName(e) ?? 'UnknownError', status, (e as Error).message ?? '');
    }
  };
  return send as SessionCognitoCall;
}
