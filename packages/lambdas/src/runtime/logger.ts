import { Logger } from '@aws-lambda-powertools/logger';
import type { PlatformFunction } from '@openclaw-tenancy/shared';

/**
 * One structured logger per function. The service name is the platform
 * function name, so CloudWatch Logs Insights can group by it; handlers append
 * `tenantId` as soon as they know it.
 */
export function createFunctionLogger(fn: PlatformFunction): Logger {
  return new Logger({ serviceName: `openclaw-${fn}` });
}
