/** SQS-driven offboarding: tombstone, prune, detach, schedule secret deletion (see domain/offboarding.ts). */
import type { Logger } from '@aws-lambda-powertools/logger';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { OffboardTenantJob } from '@openclaw-tenancy/shared';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { OffboardingDeps, OffboardingSettings, offboardTenant } from '../domain/offboarding';
import { processJobBatch } from '../events/sqs-batch';
import { offboarderDepsFromEnv } from '../wiring/offboarder-wiring';

export interface OffboarderHandlerDeps extends Omit<OffboardingDeps, 'log'> {
  readonly settings: OffboardingSettings;
  readonly logger: Logger;
  readonly idempotencyStore: BasePersistenceLayer;
}

export type OffboarderHandler = (event: unknown, context?: Context) => Promise<SQSBatchResponse>;

export function createOffboarderHandler(deps: OffboarderHandlerDeps): OffboarderHandler {
  const { logger } = deps;
  const idempotency = new IdempotencyConfig({ eventKeyJmesPath: '[tenantId, type]', expiresAfterSeconds: 3600 });
  const offboard = makeIdempotent((job: OffboardTenantJob) => offboardTenant(job, deps.settings, { ...deps, log: logger }), {
    persistenceStore: deps.idempotencyStore,
    config: idempotency,
  });
  return async (event, context) => {
    if (context) {
      logger.addContext(context);
      idempotency.registerLambdaContext(context);
    }
    return processJobBatch(event, 'offboard', logger, async (job) => {
      const result = await offboard(job);
      logger.info('offboarding finished', { ...result });
    });
  };
}

/** The Lambda entry point: adapters are built from the environment on the first invocation, not at import. */
let fromEnvironment: OffboarderHandler | undefined;

export const handler: OffboarderHandler = async (event, context) => {
  if (!fromEnvironment) {
    fromEnvironment = createOffboarderHandler(offboarderDepsFromEnv());
  }
  return fromEnvironment(event, context);
};
