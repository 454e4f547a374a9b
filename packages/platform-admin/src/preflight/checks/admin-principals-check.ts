import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ID = 'admin-principals';
const TITLE = 'Cluster administrators (cluster.adminPrincipalArns)';

const ARN = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(.+)$/;

export async function checkAdminPrincipals(config: PlatformConfig, clients: Pick<PreflightClients, 'iam'>): Promise<CheckResult[]> {
  const arns = config.cluster.adminPrincipalArns;
  if (arns.length === 0) {
    return [
      fail(
        ID,
        TITLE,
        'no administrator: the deploying principal does not become a cluster admin, so nobody could run kubectl',
        'add the ARN of an existing IAM role your operators assume to cluster.adminPrincipalArns',
      ),
    ];
  }
  return Promise.all(
    arns.map(async (arn, i): Promise<CheckResult> => {
      const id = `${ID}:${i}`;
      const match = ARN.exec(arn);
      const [, account, kind, pathAndName] = match ?? [];
      const name = (pathAndName ?? '').split('/').pop() ?? '';
      if (account !== config.aws.account) {
        return warn(
          id,
          TITLE,
          `${arn} belongs to account ${account}, not ${config.aws.account}: it cannot be checked from here`,
          'make sure the role exists in its account and trusts the people who administer this cluster',
        );
      }
      try {
        if (kind === 'role') await clients.iam.send(new GetRoleCommand({ RoleName: name }));
        else await clients.iam.send(new GetUserCommand({ UserName: name }));
        return pass(id, TITLE, `${arn} exists`);
      } catch (e) {
        if (awsErrorName(e) === 'NoSuchEntityException' || awsErrorName(e) === 'NoSuchEntity') {
          return fail(
            id,
            TITLE,
            `${arn} does not exist: an access entry for it cannot be created and the cluster stack fails`,
            `create the ${kind} ${name} (or correct cluster.adminPrincipalArns[${i}])`,
          );
        }
        return unreachable(id, TITLE, kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', e);
      }
    }),
  );
}
