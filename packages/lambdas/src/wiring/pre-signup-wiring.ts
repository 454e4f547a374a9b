import { DynamoDbSignupGuardStore } from '../adapters/dynamodb/signup-guard-table';
import { DynamoDbTenantClaims } from '../adapters/dynamodb/tenant-claims-table';
import { readPreSignUpConfig } from '../config/function-config';
import type { PreSignUpHandlerDeps } from '../handlers/pre-signup';
import { createFunctionLogger } from '../runtime/logger';
import { documentClient } from './aws-clients';

export function preSignUpDepsFromEnv(env: NodeJS.ProcessEnv = process.env): PreSignUpHandlerDeps {
  const config = readPreSignUpConfig(env);
  const db = documentClient();
  return {
    policy: config,
    guard: new DynamoDbSignupGuardStore(db, config.signupGuardTable),
    claims: new DynamoDbTenantClaims(db, config),
    logger: createFunctionLogger('pre-signup'),
    now: () => new Date(),
  };
}
