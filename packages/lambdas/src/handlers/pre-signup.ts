/**
 * Cognito PreSignUp trigger: admits or refuses a sign-up before Cognito
 * creates the user. Refusals throw with a message Cognito shows to the user.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, PreSignUpTriggerEvent } from 'aws-lambda';
import { SignUpGuardDeps, SignUpPolicy, admitSignUp } from '../domain/sign-up-guard';
import { SignUpRefusedError } from '../domain/sign-up-refusal';
import { parsePreSignUpEvent } from '../events/cognito-trigger-events';
import { preSignUpDepsFromEnv } from '../wiring/pre-signup-wiring';

export interface PreSignUpHandlerDeps extends SignUpGuardDeps {
  readonly policy: SignUpPolicy;
  readonly logger: Logger;
}

export type PreSignUpHandler = (event: unknown, context?: Context) => Promise<PreSignUpTriggerEvent>;

export function createPreSignUpHandler(deps: PreSignUpHandlerDeps): PreSignUpHandler {
  const { logger } = deps;
  return async (event, context) => {
    if (context) logger.addContext(context);
    const request = parsePreSignUpEvent(event);
    try {
      const admitted = await admitSignUp(request.email, deps.policy, deps);
      logger.info('sign-up admitted', { triggerSource: request.event.triggerSource, domain: admitted.domain });
    } catch (e) {
      // The address is never logged; the reason code is enough to follow a refusal.
      if (e instanceof SignUpRefusedError) logger.info('sign-up refused', { reason: e.reason });
      throw e;
    }
    return request.event;
  };
}

/** The Lambda entry point: adapters are built from the environment on the first invocation, not at import. */
let fromEnvironment: PreSignUpHandler | undefined;

export const handler: PreSignUpHandler = async (event, context) => {
  if (!fromEnvironment) {
    fromEnvironment = createPreSignUpHandler(preSignUpDepsFromEnv());
  }
  return fromEnvironment(event, context);
};
