import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSessionApi } from '../adapters/cognito-session-api';
import { issuedTokenClaims } from '../adapters/cognito-issued-token';
import { readSessionConfig } from '../config/function-config';
import type { SessionHandlerDeps } from '../handlers/session';
import { createFunctionLogger } from '../runtime/logger';

export function sessionDepsFromEnv(env: NodeJS.ProcessEnv = process.env): SessionHandlerDeps {
  const config = readSessionConfig(env);
  return {
    endpoint: {
      cognito: cognitoSessionApi(new CognitoIdentityProviderClient({})),
      clientId: config.userPoolClientId,
      refreshTokenRotation: config.refreshTokenRotation,
      secureCookies: config.publicOrigin.protocol === 'https:',
      publicHost: config.publicOrigin.host,
      verify: issuedTokenClaims({ issuer: config.identityIssuer, audience: config.userPoolClientId }),
    },
    logger: createFunctionLogger('session'),
  };
}
