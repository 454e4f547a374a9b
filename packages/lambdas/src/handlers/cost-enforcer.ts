/** Daily (EventBridge schedule) budget check over every tenant (see domain/cost-enforcement.ts). */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { CostEnforcementDeps, CostPolicy, CostReport, enforceBudgets } from '../domain/cost-enforcement';
import { MalformedEventError } from '../events/malformed-event-error';
import { costEnforcerDepsFromEnv } from '../wiring/cost-enforcer-wiring';

export interface CostEnforcerHandlerDeps extends Omit<CostEnforcementDeps, 'log'> {
  readonly policy: CostPolicy;
  readonly logger: Logger;
}

export interface CostEnforcerResult {
  readonly month: string;
  readonly tenantsChecked: number;
  readonly alertsSent: number;
  readonly suspended: readonly string[];
}

export type CostEnforcerHandler = (event: unknown, context?: Context) => Promise<CostEnforcerResult>;

export function createCostEnforcerHandler(deps: CostEnforcerHandlerDeps): CostEnforcerHandler {
  const { logger } = deps;
  return async (event, context) => {
    if (context) logger.addContext(context);
    const source = (event as { source?: unknown } | null)?.source;
    // A scheduled rule sends `aws.events`; a manual test invoke may send `{}`.
    if (event === null || typeof event !== 'object' || (source !== undefined && source !== 'aws.events')) {
      throw new MalformedEventError(`cost-enforcer runs on its EventBridge schedule, not on events from ${JSON.stringify(source ?? null)}`);
    }
    const report: CostReport = await enforceBudgets(deps.policy, { ...deps, log: logger });
    const result = {
      month: report.month,
      tenantsChecked: report.tenants.length,
      alertsSent: report.tenants.reduce((n, t) => n + t.alerted.length, 0),
      suspended: report.suspended,
    };
    logger.info('budgets checked', { ...result });
    return result;
  };
}

/** The Lambda entry point: adapters are built from the environment on the first invocation, not at import. */
let fromEnvironment: CostEnforcerHandler | undefined;

export const handler: CostEnforcerHandler = async (event, context) => {
  if (!fromEnvironment) {
    fromEnvironment = createCostEnforcerHandler(costEnforcerDepsFromEnv());
  }
  return fromEnvironment(event, context);
};
