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
import { ClaimDeps, ClaimPolicy, claimTenant } from '../domain/tenant-claim';
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

interface ConfirmedUser {
  readonly sub: string;
  readonly email: string;
  readonly userPoolId: string;
  readonly userName: string;
}

export function createPostConfirmationHandler(deps: PostConfirmationHandlerDeps): PostConfirmationHandler {
  const { logger } = deps;
  const idempotency = new IdempotencyConfig({
    // One run per user: Cognito retries up to 3 times and a retry must not claim twice.
    eventKeyJmesPath: 'sub',
    expiresAfterSeconds: 3600,
  });

  const claimAndEnqueue = makeIdempotent(
    async (user: ConfirmedUser) => {
      // The Cognito user is recorded with the claim: should the GitOps registry give the id
      // to somebody else, the provisioner moves the claim and updates this user's attribute.
      const claim = await claimTenant(
        { owner: user.sub, email: user.email, user: { userPoolId: user.userPoolId, userName: user.userName } },
        deps.policy,
        deps,
      );
      logger.appendKeys({ tenantId: claim.tenantId });
      const delaySeconds =
        claim.admission.kind === 'reserved' ? Math.max(0, (Date.parse(claim.admission.admitAt) - deps.now().getTime()) / 1000) : 0;
      // Independent of each other, so concurrent: if either fails the handler fails,
      // Cognito retries, and both are repeated harmlessly (same attribute value; the
      // provisioner is idempotent per tenant).
      await Promise.all([
        deps.users.recordTenantId({ userPoolId: user.userPoolId, userName: user.userName, tenantId: claim.tenantId }),
        deps.queue.send({ type: 'provision', tenantId: claim.tenantId, owner: user.sub, claimedAt: claim.claimedAt }, delaySeconds),
      ]);
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
