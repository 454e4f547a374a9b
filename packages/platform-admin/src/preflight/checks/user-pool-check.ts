import { DescribeUserPoolClientCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ID = 'identity';
const TITLE = 'User pool and app client of the tenant routes (identity)';

/** `identity` is what every tenant route verifies tokens against: values that name no real pool lock every employee out. */
export async function checkUserPool(config: PlatformConfig, clients: Pick<PreflightClients, 'cognito'>): Promise<CheckResult[]> {
  const identity = config.identity;
  if (!identity) {
    return [pass(ID, TITLE, 'not set yet: it is known after the control-plane stack is deployed (operator guide §6)')];
  }
  const fromOutputs = `copy UserPoolId and AppClientId from the outputs of the ${config.platformName}-control-plane stack into identity`;
  try {
    await clients.cognito.send(new DescribeUserPoolCommand({ UserPoolId: identity.userPoolId }));
  } catch (e) {
    if (awsErrorName(e) === 'ResourceNotFoundException')
      return [fail(ID, TITLE, `identity.userPoolId ${identity.userPoolId} is not a user pool in ${config.aws.region}`, fromOutputs)];
    return [unreachable(ID, TITLE, 'cognito-idp:DescribeUserPool', e)];
  }
  try {
    await clients.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: identity.userPoolId, ClientId: identity.appClientId }));
  } catch (e) {
    if (awsErrorName(e) === 'ResourceNotFoundException')
      return [fail(ID, TITLE, `identity.appClientId ${identity.appClientId} is not an app client of ${identity.userPoolId}`, fromOutputs)];
    return [unreachable(ID, TITLE, 'cognito-idp:DescribeUserPoolClient', e)];
  }
  return [pass(ID, TITLE, `${identity.userPoolId} with app client ${identity.appClientId} exists`)];
}
