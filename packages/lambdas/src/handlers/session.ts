/**
 * The session endpoint behind CloudFront's `/_session/*` behaviour (a
 * function URL reached through origin access control): the shared
 * `answerSessionRequest` step, which the local edge runs too, with Cognito
 * through the SDK. Page script only ever sees a `SessionView`; the tokens
 * travel in HttpOnly, Secure, SameSite=Strict, path-scoped cookies.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { SessionEndpointOptions, answerSessionRequest } from '@openclaw-tenancy/shared';
import { FunctionUrlResult, functionUrlResultOf, sessionRequestOfFunctionUrlEvent } from '../events/function-url-events';
import { sessionDepsFromEnv } from '../wiring/session-wiring';

export interface SessionHandlerDeps {
  readonly endpoint: SessionEndpointOptions;
  readonly logger: Logger;
}

export type SessionHandler = (event: unknown, context?: Context) => Promise<FunctionUrlResult>;

export function createSessionHandler(deps: SessionHandlerDeps): SessionHandler {
  const { logger } = deps;
  return async (event, context) => {
    if (context) logger.addContext(context);
    const request = sessionRequestOfFunctionUrlEvent(event);
    const response = await answerSessionRequest(request, deps.endpoint);
    // Never the body or cookies: they carry the password or tokens. The refusal type is enough to follow a failure.
    const refusal = response.status >= 400 ? (JSON.parse(response.body) as { error?: string }).error : undefined;
    logger.info('session request answered', {
      path: request.path,
      method: request.method,
      status: response.status,
      ...(refusal ? { refusal } : {}),
    });
    return functionUrlResultOf(response);
  };
}

/** The Lambda entry point: adapters are built from the environment on the first invocation, not at import. */
let fromEnvironment: SessionHandler | undefined;

export const handler: SessionHandler = async (event, context) => {
  if (!fromEnvironment) {
    fromEnvironment = createSessionHandler(sessionDepsFromEnv());
  }
  return fromEnvironment(event, context);
};
