/**
 * Confused-deputy conditions on the trust policy of a service role that a
 * construct library created for us. The role is kept and its trust changed in
 * place: a new role would replace what names it (an EKS cluster's role cannot
 * change; a flow log is immutable and EC2 refuses a second one with the same
 * configuration while the first exists).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Where a service may act from when it assumes the role. */
export interface ServiceRoleSource {
  /** `aws:SourceAccount`: the account of the resource the service acts for. */
  readonly account: string;
  /** `aws:SourceArn` (ArnLike): the resource, or a pattern of this account's resources of that type. */
  readonly arnPattern: string;
}

interface TrustStatement {
  readonly Principal?: { readonly Service?: string | readonly string[] };
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Adds `aws:SourceAccount` and `aws:SourceArn` conditions to the one trust
 * statement of `role` that admits `service`. Throws if `role` was not created
 * in this app or has no such statement, or more than one.
 */
export function pinServiceRoleToSource(role: iam.IRole, service: string, source: ServiceRoleSource): void {
  if (!(role instanceof iam.Role) || !role.assumeRolePolicy) {
    throw new Error(`${role.node.path} is not a role created in this app, so its trust policy cannot be pinned to ${source.arnPattern}`);
  }
  const document = Stack.of(role).resolve(role.assumeRolePolicy.toJSON()) as { Statement: TrustStatement[] };
  const matching = document.Statement.flatMap((statement, index) =>
    [statement.Principal?.Service ?? []].flat().includes(service) ? [index] : [],
  );
  if (matching.length !== 1) {
    throw new Error(
      `the trust policy of ${role.node.path} has ${matching.length} statements for ${service}; expected exactly one to pin to ${source.arnPattern}`,
    );
  }
  const index = matching[0]!;
  const existing = document.Statement[index]!.Condition ?? {};
  (role.node.defaultChild as iam.CfnRole).addPropertyOverride(`AssumeRolePolicyDocument.Statement.${index}.Condition`, {
    ...existing,
    StringEquals: { ...existing.StringEquals, 'aws:SourceAccount': source.account },
    ArnLike: { ...existing.ArnLike, 'aws:SourceArn': source.arnPattern },
  });
}
