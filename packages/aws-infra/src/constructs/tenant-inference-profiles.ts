import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { applicationProfileArnPattern, catalogModelArns, CatalogModelArns } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { acknowledgeGrant, nagResource } from '../compliance';
import { combineGrants, grantWithSid } from '../grants';
import { tenantRequestTagConditions, tenantResourceTagConditions } from '../tenant-tag-conditions';

export interface TenantInferenceProfilesProps {
  /** Region tenants call Bedrock in (`models.bedrockRegion`). */
  readonly bedrockRegion: string;
  /** Model and system inference profile ids of the catalog (`models.catalog[].id`). */
  readonly modelIds: readonly string[];
}

/**
 * The tenants' Bedrock application inference profiles: one per tenant and
 * catalog model, copied from the model (or its cross-region system profile)
 * by the provisioner at runtime, tagged as the tenant's, and deleted by the
 * offboarder. Tenants invoke models only through them (`TenantRole`), which
 * attributes usage per tenant. Nothing here is a CloudFormation resource: the
 * construct holds the ARN patterns and grants the lifecycle actions on them.
 */
export class TenantInferenceProfiles extends Construct {
  /** Every application inference profile of the account in the Bedrock region (their ids are random). */
  readonly applicationProfileArns: string;
  /** The system profiles and foundation models a profile of the catalog is copied from. */
  readonly catalogModels: CatalogModelArns;

  constructor(scope: Construct, id: string, props: TenantInferenceProfilesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ctx = { partition: stack.partition, account: stack.account, bedrockRegion: props.bedrockRegion };
    this.applicationProfileArns = applicationProfileArnPattern(ctx);
    this.catalogModels = catalogModelArns(props.modelIds, ctx);
  }

  /**
   * Lets `grantee` create application profiles of the catalog models with
   * both tenant request tags and no other tag keys (the tenant role's ABAC
   * matches `tenant-namespace`; cost allocation uses `tenant`), and find one
   * by name (list, read its tags) to adopt it: only when its
   * `tenant-namespace` tag is the tenant's, as names can clash.
   */
  grantCreate(grantee: iam.IGrantable): iam.Grant {
    const grant = combineGrants(
      grantWithSid('CreateTenantInferenceProfiles', {
        grantee,
        actions: ['bedrock:CreateInferenceProfile', 'bedrock:TagResource'],
        resourceArns: [this.applicationProfileArns, ...this.catalogModels.systemProfileArns, ...this.catalogModels.foundationModelArns],
        conditions: tenantRequestTagConditions({ requireTenantTag: true }),
      }),
      this.grantReadTags(grantee),
      this.grantList(grantee),
    );
    this.acknowledgeProfilePattern(grantee);
    for (const arn of this.catalogModels.foundationModelArns.filter((a) => a.includes(':bedrock:*::'))) {
      acknowledgeGrant(
        grantee,
        `AwsSolutions-IAM5[Resource::${nagResource(this, arn)}]`,
        'Copying a cross-region system profile into an application profile is authorized on the model in every destination region; the model id is pinned.',
      );
    }
    return grant;
  }

  /**
   * Lets `grantee` find profiles (list, read their tags) and delete those
   * carrying a tenant `tenant-namespace` tag; which tenant's is the caller's
   * check of that tag.
   */
  grantDelete(grantee: iam.IGrantable): iam.Grant {
    const grant = combineGrants(
      this.grantReadTags(grantee),
      grantWithSid('DeleteTenantInferenceProfiles', {
        grantee,
        actions: ['bedrock:DeleteInferenceProfile'],
        resourceArns: [this.applicationProfileArns],
        conditions: tenantResourceTagConditions('aws'),
      }),
      this.grantList(grantee),
    );
    this.acknowledgeProfilePattern(grantee);
    return grant;
  }

  /**
   * Lets `grantee` read usage per tenant: profile names to ids
   * (`ListInferenceProfiles`), then the AWS/Bedrock token metrics of each
   * profile (`GetMetricData`). Neither action has resource-level permissions.
   */
  grantReadUsage(grantee: iam.IGrantable): iam.Grant {
    const grant = grantWithSid('ReadBedrockUsageMetrics', {
      grantee,
      actions: ['cloudwatch:GetMetricData', 'bedrock:ListInferenceProfiles'],
      resourceArns: ['*'],
    });
    acknowledgeGrant(
      grantee,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:GetMetricData (per-profile AWS/Bedrock token metrics) and bedrock:ListInferenceProfiles do not support resource-level permissions.',
    );
    return grant;
  }

  /** A profile is adopted or deleted only after its `tenant-namespace` tag named the tenant. */
  private grantReadTags(grantee: iam.IGrantable): iam.Grant {
    return grantWithSid('ReadTenantInferenceProfileTags', {
      grantee,
      actions: ['bedrock:ListTagsForResource'],
      resourceArns: [this.applicationProfileArns],
    });
  }

  private grantList(grantee: iam.IGrantable): iam.Grant {
    const grant = grantWithSid('ListInferenceProfiles', { grantee, actions: ['bedrock:ListInferenceProfiles'], resourceArns: ['*'] });
    acknowledgeGrant(grantee, 'AwsSolutions-IAM5[Resource::*]', 'bedrock:ListInferenceProfiles has no resource-level permissions.');
    return grant;
  }

  private acknowledgeProfilePattern(grantee: iam.IGrantable): void {
    acknowledgeGrant(
      grantee,
      `AwsSolutions-IAM5[Resource::${nagResource(this, this.applicationProfileArns)}]`,
      'Tenant application inference profiles are created at runtime with random ids; creation requires the tenant tags, deletion requires a tenant-namespace tag.',
    );
  }
}
