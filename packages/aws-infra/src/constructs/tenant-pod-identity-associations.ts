import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeGrant, nagResource } from '../compliance';
import { combineGrants, grantWithSid } from '../grants';
import { tenantRequestTagConditions, tenantResourceTagConditions } from '../tenant-tag-conditions';

export interface TenantPodIdentityAssociationsProps {
  /** The cluster whose tenant service accounts get the tenant role (`cluster.name`). */
  readonly clusterName: string;
  /** The role every tenant association hands out (`TenantRole`). */
  readonly tenantRole: iam.IRole;
}

/**
 * The Pod Identity associations that give each tenant's gateway service
 * account the tenant role. The provisioner creates them at runtime, tagged as
 * the tenant's, and the offboarder removes them; nothing here is a
 * CloudFormation resource: the construct holds the ARNs of the cluster and
 * its associations and grants the lifecycle actions on them. The add-ons'
 * and controllers' associations (untagged) stay out of reach of both grants.
 */
export class TenantPodIdentityAssociations extends Construct {
  /** The cluster the associations belong to. */
  readonly clusterArn: string;
  /** Every association of that cluster (their ids are random). */
  readonly associationArns: string;
  private readonly tenantRole: iam.IRole;

  constructor(scope: Construct, id: string, props: TenantPodIdentityAssociationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.tenantRole = props.tenantRole;
    this.clusterArn = stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: props.clusterName });
    this.associationArns = stack.formatArn({ service: 'eks', resource: 'podidentityassociation', resourceName: `${props.clusterName}/*` });
  }

  /**
   * Lets `grantee` associate a service account with the tenant role: create
   * an association only with both tenant request tags, tag one so, find
   * (list, describe) an existing one to adopt it, and pass the tenant role to
   * EKS Pod Identity only. The tenant role's trust policy admits tenant
   * gateway pods only, whatever the association names.
   */
  grantAssociate(grantee: iam.IGrantable): iam.Grant {
    const grant = combineGrants(
      grantWithSid('AssociateTenantServiceAccounts', {
        grantee,
        actions: ['eks:CreatePodIdentityAssociation'],
        resourceArns: [this.clusterArn],
        conditions: tenantRequestTagConditions({ requireTenantTag: true }),
      }),
      this.grantList(grantee, 'ListTenantServiceAccountAssociations'),
      // An existing association is adopted only after its role was checked to be the tenant role.
      grantWithSid('DescribeTenantAssociations', {
        grantee,
        actions: ['eks:DescribePodIdentityAssociation'],
        resourceArns: [this.associationArns],
      }),
      grantWithSid('TagTenantAssociations', {
        grantee,
        actions: ['eks:TagResource'],
        resourceArns: [this.associationArns],
        conditions: tenantRequestTagConditions(),
      }),
      grantWithSid('PassTenantRoleToPodIdentity', {
        grantee,
        actions: ['iam:PassRole'],
        resourceArns: [this.tenantRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
      }),
      grantWithSid('GetTenantRoleForAssociation', {
        grantee,
        actions: ['iam:GetRole'],
        resourceArns: [this.tenantRole.roleArn],
      }),
    );
    this.acknowledgeAssociationPattern(grantee);
    return grant;
  }

  /**
   * Lets `grantee` list the cluster's associations and delete those tagged
   * as a tenant's (`tenant-namespace` of a tenant namespace).
   */
  grantDisassociate(grantee: iam.IGrantable): iam.Grant {
    const grant = combineGrants(
      this.grantList(grantee, 'ListTenantAssociations'),
      grantWithSid('RemoveTenantAssociations', {
        grantee,
        actions: ['eks:DeletePodIdentityAssociation'],
        resourceArns: [this.associationArns],
        conditions: tenantResourceTagConditions('aws'),
      }),
    );
    this.acknowledgeAssociationPattern(grantee);
    return grant;
  }

  private grantList(grantee: iam.IGrantable, sid: string): iam.Grant {
    return grantWithSid(sid, { grantee, actions: ['eks:ListPodIdentityAssociations'], resourceArns: [this.clusterArn] });
  }

  private acknowledgeAssociationPattern(grantee: iam.IGrantable): void {
    acknowledgeGrant(
      grantee,
      `AwsSolutions-IAM5[Resource::${nagResource(this, this.associationArns)}]`,
      'Pod Identity associations are created per tenant at runtime and get random ids; the pattern is limited to this cluster.',
    );
  }
}
