/**
 * Cognito PostConfirmation trigger: claims the owner's tenant id, records it
 * on the user, enqueues provisioning and returns, all in well under a second
 * (Cognito waits 5 s). Only a sign-up confirmation acts; a password-reset
 * confirmation returns the event untouched.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import { ClaimDeps, ClaimPolicy, UserToProvision, claimAndProvision } from '../domain/tenant-claim';
import { parsePostConfirmationEvent } from '../events/cognito-trigger-events';
import type { JobQueue } from '../ports/job-queue';
import type { UserDirectory } from '../ports/user-directory';
import { postConfirmationDepsFromEnv } from '../wiring/post-confirmation-wiring';

export interface PostConfirmationHandlerDeps extends ClaimDeps {
  readonly policy: ClaimPolicy;
  readonly users: UserDirectory;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** Powertools idempotency store (DynamoDB `IDEMPOTENCY_TABLE` in AWS). */
  readonly idempotencyStore: BasePersistenceLayer;
}

export type PostConfirmationHandler = (event: unknown, context?: Context) => Promise<PostConfirmationTriggerEvent>;

export function createPostConfirmationHandler(deps: PostConfirmationHandlerDeps): PostConfirmationHandler {
  const { logger } = deps;
  const idempotency = new IdempotencyConfig({
    // One run per user: Cognito retries up to 3 times and a retry must not claim twice.
    eventKeyJmesPath: 'sub',
    expiresAfterSeconds: 3600,
  });

  const claimAndEnqueue = makeIdempotent(
    async (user: UserToProvision) => {
      const claim = await claimAndProvision(user, deps.policy, deps);
      logger.appendKeys({ tenantId: claim.tenantId });
      logger.info('tenant claimed and provisioning enqueued', {
        newlyClaimed: claim.newlyClaimed,
        admission: claim.admission.kind,
        ...(claim.admission.kind === 'reserved' ? { admitAt: claim.admission.admitAt } : {}),
      });
      return { tenantId: claim.tenantId };
    },
    { persistenceStore: deps.idempotencyStore, config: idempotency },
  );

  return async (event, context) => {
    if (context) {
      logger.addContext(context);
      idempotency.registerLambdaContext(context);
    }
    const request = parsePostConfirmationEvent(event);
    if (request.kind === 'ignored') {
      logger.info('password reset confirmed; tenant untouched', { triggerSource: request.event.triggerSource });
      return request.event;
    }
    try {
      await claimAndEnqueue({ sub: request.sub, email: request.email, userPoolId: request.userPoolId, userName: request.userName });
    } finally {
      logger.removeKeys(['tenantId']);
    }
    return request.event;
  };
}

/** The Lambda entry point: adapters are built from the environment on the first invocation, not at import. */
let fromEnvironment: PostConfirmationHandler | undefined;

export const handler: PostConfirmationHandler = async (event, context) => {
  if (!fromEnvironment) {
    fromEnvironment = createPostConfirmationHandler(postConfirmationDepsFromEnv());
  }
  return fromEnvironment(event, context);
};
