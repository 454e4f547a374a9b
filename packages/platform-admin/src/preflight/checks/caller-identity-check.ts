import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ACCOUNT = { id: 'caller-account', title: 'Credentials are for aws.account' } as const;
const ADMIN = { id: 'caller-cluster-access', title: 'Your own access to the cluster after the deploy' } as const;

/** The IAM role or user ARN behind an STS caller ARN (`assumed-role/<name>/<session>` becomes the role's name). */
export function callerPrincipal(callerArn: string): { readonly kind: 'role' | 'user' | 'other'; readonly name: string } {
  const assumed = /^arn:[^:]+:sts::\d{12}:assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (assumed) return { kind: 'role', name: assumed[1] ?? '' };
  const user = /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(callerArn);
  if (user) return { kind: 'user', name: user[1] ?? '' };
  return { kind: 'other', name: callerArn };
}

/**
 * Which account the shell's credentials reach, and, stated plainly, whether
 * the caller will be a cluster administrator: the deploying principal gets no
 * cluster access of its own (docs/adr/0120).
 */
export async function checkCallerIdentity(config: PlatformConfig, clients: Pick<PreflightClients, 'sts'>): Promise<CheckResult[]> {
  let caller;
  try {
    caller = await clients.sts.send(new GetCallerIdentityCommand({}));
  } catch (e) {
    return [unreachable(ACCOUNT.id, ACCOUNT.title, 'sts:GetCallerIdentity', e)];
  }
  const arn = caller.Arn ?? '';
  if (caller.Account !== config.aws.account) {
    return [
      fail(
        ACCOUNT.id,
        ACCOUNT.title,
        `these credentials (${arn}) are for account ${caller.Account}, the config deploys to ${config.aws.account}`,
        `sign in to account ${config.aws.account} (or correct aws.account) and run preflight again`,
      ),
    ];
  }
  const results: CheckResult[] = [pass(ACCOUNT.id, ACCOUNT.title, `${arn} in ${config.aws.account}`)];
  const principal = callerPrincipal(arn);
  const admin = config.cluster.adminPrincipalArns.some((a) => {
    const [, account, kind, name] = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(a) ?? [];
    return account === caller.Account && kind === principal.kind && name === principal.name;
  });
  results.push(
    admin
      ? pass(
          ADMIN.id,
          ADMIN.title,
          `${principal.kind} ${principal.name} is in cluster.adminPrincipalArns: you will be a cluster administrator`,
        )
      : warn(
          ADMIN.id,
          ADMIN.title,
          `${arn} is not in cluster.adminPrincipalArns: it can deploy the stacks, but it will not be able to use kubectl on the cluster`,
          `add your role to cluster.adminPrincipalArns, or assume one of them before running kubectl (aws eks update-kubeconfig --role-arn <one of them>)`,
        ),
  );
  return results;
}
