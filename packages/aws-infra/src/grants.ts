/**
 * Helpers for the `grantXxx(grantee)` methods of the constructs: each method
 * adds its statements to the grantee's own policy and returns the `iam.Grant`.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * `iam.Grant.addToPrincipal` whose statement carries `sid`, by which readers
 * of the policy, the tests and the README name it.
 */
export function grantWithSid(sid: string, options: iam.GrantOnPrincipalOptions): iam.Grant {
  const grant = iam.Grant.addToPrincipal(options);
  // Grant.addToPrincipal takes no Sid; a statement is frozen only when its policy is rendered.
  if (grant.principalStatement) grant.principalStatement.sid = sid;
  return grant;
}

/** Several grants to one grantee as one `iam.Grant`. */
export function combineGrants(first: iam.Grant, ...rest: iam.Grant[]): iam.Grant {
  return rest.reduce((all, grant) => all.combine(grant), first);
}
