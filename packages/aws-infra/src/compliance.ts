/**
 * cdk-nag wiring. Findings are fixed where possible; the rest are
 * acknowledged on the construct that causes them, always with the granular
 * rule id (e.g. `AwsSolutions-IAM5[Resource::*]`) and a reason specific to
 * that resource, so a new wildcard elsewhere still fails the build.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';

/** Runs the AWS Solutions rule pack on every synth; any unacknowledged finding fails it. */
export function addAwsSolutionsChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** Acknowledges one cdk-nag finding on `scope` and everything below it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges a finding that a grant causes in the grantee's policy, on the
 * grantee: the grantee itself when it is a construct (a function, whose role
 * and policies are below it), else its principal (a role). A principal outside
 * the construct tree (an ARN) has no policy in the app, so no finding.
 */
export function acknowledgeGrant(grantee: iam.IGrantable, id: string, reason: string): void {
  const scope = Construct.isConstruct(grantee) ? grantee : grantee.grantPrincipal;
  if (Construct.isConstruct(scope)) acknowledge(scope, id, reason);
}

/**
 * A resource ARN as cdk-nag prints it inside a granular finding id
 * (`AwsSolutions-IAM5[Resource::<arn>]`): resolved to a plain string, which
 * works for environment-specific stacks (partition, region and account known).
 */
export function nagResource(scope: IConstruct, arn: string): string {
  const resolved: unknown = Stack.of(scope).resolve(arn);
  if (typeof resolved !== 'string') {
    throw new Error(`cannot name ${JSON.stringify(resolved)} in a cdk-nag acknowledgement; give the stack an explicit account and region`);
  }
  return resolved;
}

/**
 * Acknowledges findings on a stack-level singleton that aws-cdk-lib creates
 * on behalf of a construct (custom-resource providers, BucketDeployment's
 * handler). They live beside, not below, the construct that caused them.
 */
export function acknowledgeSingleton(stack: Stack, idPrefix: string, findings: readonly { id: string; reason: string }[]): void {
  const singletons = stack.node.children.filter((c) => c.node.id.startsWith(idPrefix));
  if (singletons.length === 0) throw new Error(`no construct with id prefix "${idPrefix}" in stack ${stack.stackName}`);
  for (const singleton of singletons) for (const f of findings) acknowledge(singleton, f.id, f.reason);
}
