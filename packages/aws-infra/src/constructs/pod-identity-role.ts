import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface PodIdentityServiceAccount {
  readonly namespace: string;
  readonly name: string;
}

export interface PodIdentityRoleProps {
  /** The only cluster whose Pod Identity agent may hand out this role. */
  readonly cluster: eks.ICluster;
  readonly description: string;
  /**
   * AWS managed policies to attach (for controllers whose upstream policy is the managed one).
   * @default - none
   */
  readonly managedPolicies?: readonly iam.IManagedPolicy[];
  /**
   * Creates the Pod Identity association for this service account.
   * @default - none; EKS add-ons create their own association from `podIdentityAssociations`
   */
  readonly serviceAccount?: PodIdentityServiceAccount;
  /**
   * The only service account whose pods may receive the role (trust policy
   * condition on the session tags Pod Identity sets).
   * @default - `serviceAccount`; without either, any service account of the cluster
   */
  readonly trustedServiceAccount?: PodIdentityServiceAccount;
}

/** Session tags EKS Pod Identity sets from the pod (namespace and service account). */
export const POD_IDENTITY_SESSION_TAGS = { namespace: 'kubernetes-namespace', serviceAccount: 'kubernetes-service-account' } as const;

/**
 * An IAM role for EKS Pod Identity. The trust policy names the service
 * principal and pins the source cluster, so a Pod Identity agent of another
 * cluster or account cannot assume it (confused-deputy protection), and the
 * namespace and service account, so an association made for another pod
 * (by a mistaken or malicious CreatePodIdentityAssociation) yields nothing.
 */
export class PodIdentityRole extends Construct {
  readonly role: iam.Role;
  readonly association?: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: props.description,
      assumedBy: podIdentityPrincipal(props.cluster, props.trustedServiceAccount ?? props.serviceAccount),
      managedPolicies: props.managedPolicies ? [...props.managedPolicies] : undefined,
    });
    if (props.serviceAccount) {
      this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
        clusterName: props.cluster.clusterName,
        namespace: props.serviceAccount.namespace,
        serviceAccount: props.serviceAccount.name,
        roleArn: this.role.roleArn,
      });
    }
  }
}

/**
 * `pods.eks.amazonaws.com` with `sts:TagSession`, restricted to one cluster of
 * this account and, when given, to pods of one namespace (`*` patterns allowed)
 * and service account.
 */
export function podIdentityPrincipal(cluster: eks.ICluster, subject?: PodIdentityServiceAccount): iam.IPrincipal {
  const pinned = subject
    ? {
        StringLike: {
          [`aws:RequestTag/${POD_IDENTITY_SESSION_TAGS.namespace}`]: subject.namespace,
          [`aws:RequestTag/${POD_IDENTITY_SESSION_TAGS.serviceAccount}`]: subject.name,
        },
      }
    : {};
  return new iam.ServicePrincipal('pods.eks.amazonaws.com')
    .withConditions({
      StringEquals: { 'aws:SourceAccount': Stack.of(cluster).account },
      ArnEquals: { 'aws:SourceArn': cluster.clusterArn },
      ...pinned,
    })
    .withSessionTags();
}
