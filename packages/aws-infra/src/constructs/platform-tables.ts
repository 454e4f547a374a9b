import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface PlatformTablesProps {
  /** Customer managed key of all three tables. */
  readonly key: kms.IKey;
}

/** Partition key of the tenant and sign-up guard tables. */
export const TABLE_PARTITION_KEY = 'pk';
/** Partition key Powertools idempotency expects. */
export const IDEMPOTENCY_PARTITION_KEY = 'id';
/** TTL attributes (names the Lambdas write). */
export const SIGNUP_GUARD_TTL_ATTRIBUTE = 'expiresAt';
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/**
 * The control plane's state: the tenant table (claims, owner index, capacity
 * counter, provisioning progress) is the source of never-reused tenant ids and
 * is protected from deletion; the sign-up guard and idempotency tables hold
 * only short-lived items that expire by TTL.
 */
export class PlatformTables extends Construct {
  readonly tenantTable: dynamodb.TableV2;
  readonly signupGuardTable: dynamodb.TableV2;
  readonly idempotencyTable: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: PlatformTablesProps) {
    super(scope, id);
    const common = {
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    };
    this.tenantTable = new dynamodb.TableV2(this, 'TenantTable', {
      ...common,
      partitionKey: { name: TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.signupGuardTable = new dynamodb.TableV2(this, 'SignupGuardTable', {
      ...common,
      partitionKey: { name: TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: SIGNUP_GUARD_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.idempotencyTable = new dynamodb.TableV2(this, 'IdempotencyTable', {
      ...common,
      partitionKey: { name: IDEMPOTENCY_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
