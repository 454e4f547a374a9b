/** SQS-driven provisioner: brings each claimed tenant to its running state (see domain/provisioning.ts). */
import type { Logger } from '@aws-lambda-powertools/logger';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { ProvisionTenantJob } from '@openclaw-tenancy/shared';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { ProvisioningDeps, ProvisioningSettings, deferUntilAdmitted, provisionTenant } from '../domain/provisioning';
import { processJobBatch } from '../events/sqs-batch';
import { provisionerDepsFromEnv } from '../wiring/provisioner-wiring';

export interface ProvisionerHandlerDeps extends Omit<ProvisioningDeps, 'log'> {
  readonly settings: ProvisioningSettings;
  readonly logger: Logger;
  readonly idempotencyStore: BasePersistenceLayer;
}

export type ProvisionerHandler = (event: unknown, context?: Context) => Promise<SQSBatchResponse>;

export function createProvisionerHandler(deps: ProvisionerHandlerDeps): ProvisionerHandler {
  const { logger } = deps;
  const domainDeps: ProvisioningDeps = { ...deps, log: logger };
  // Keyed by tenant and job type: a duplicate delivery running at the same time waits for the first.
  const idempotency = new IdempotencyConfig({ eventKeyJmesPath: '[tenantId, type]', expiresAfterSeconds: 3600 });
  const provision = makeIdempotent((job: ProvisionTenantJob) => provisionTenant(job, deps.settings, domainDeps), {
    persistenceStore: deps.idempotencyStore,
    config: idempotency,
  });
  return async (event, context) => {
    if (context) {
      logger.addContext(context);
      idempotency.registerLambdaContext(context);
    }
    return processJobBatch(event, 'provision', logger, async (job) => {
      // Outside the idempotent part: a deferral must not be remembered as the job's result.
      if (await deferUntilAdmitted(job, domainDeps)) return;
      const outcome = await provision(job);
      logger.info('provisioning finished', {
        outcome: outcome.kind,
        ...(outcome.tenantId !== job.tenantId ? { movedTo: outcome.tenantId } : {}),
        ...('commit' in outcome ? { commit: outcome.commit } : {}),
      });
    });
  };
}

/** The Lambda entry point: adapters are built from the environment on the first invocation, not at import. */
let fromEnvironment: ProvisionerHandler | undefined;

export const handler: ProvisionerHandler = async (event, context) => {
  if (!fromEnvironment) {
    fromEnvironment = createProvisionerHandler(provisionerDepsFromEnv());
  }
  return fromEnvironment(event, context);
};
