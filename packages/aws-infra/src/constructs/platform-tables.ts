import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PLATFORM_TABLE_SCHEMAS, PlatformTableId, PlatformTableSchema } from '@openclaw-tenancy/lambdas';
import { Construct } from 'constructs';
import { acknowledgeGrant } from '../compliance';

export interface PlatformTablesProps {
  /** Customer managed key of all three tables. */
  readonly key: kms.IKey;
}

/** Key schema and TTL attribute of a table, as the Lambdas read and write its items. */
function keySchema(schema: PlatformTableSchema): Pick<dynamodb.TablePropsV2, 'partitionKey' | 'timeToLiveAttribute'> {
  return {
    partitionKey: { name: schema.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(schema.timeToLiveAttribute ? { timeToLiveAttribute: schema.timeToLiveAttribute } : {}),
  };
}

/**
 * The control plane's state: the tenant table (claims, owner index, capacity
 * counter, provisioning progress) is the source of never-reused tenant ids and
 * is protected from deletion; the sign-up guard and idempotency tables hold
 * only short-lived items that expire by TTL.
 */
export class PlatformTables extends Construct implements Readonly<Record<PlatformTableId, dynamodb.TableV2>> {
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
      ...keySchema(PLATFORM_TABLE_SCHEMAS.tenantTable),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.signupGuardTable = new dynamodb.TableV2(this, 'SignupGuardTable', {
      ...common,
      ...keySchema(PLATFORM_TABLE_SCHEMAS.signupGuardTable),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.idempotencyTable = new dynamodb.TableV2(this, 'IdempotencyTable', {
      ...common,
      ...keySchema(PLATFORM_TABLE_SCHEMAS.idempotencyTable),
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Lets `grantee` read the items of `table` (and decrypt them with the tables' key). */
  grantReadData(grantee: iam.IGrantable, table: PlatformTableId): iam.Grant {
    return this[table].grantReadData(grantee);
  }

  /** Lets `grantee` read and write the items of `table` (and use the tables' key for both). */
  grantReadWriteData(grantee: iam.IGrantable, table: PlatformTableId): iam.Grant {
    const grant = this[table].grantReadWriteData(grantee);
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledgeGrant(
        grantee,
        `AwsSolutions-IAM5[Action::${action}]`,
        "Granted by TableV2 grants for the tables' own customer managed key only (the resource is that key).",
      );
    }
    return grant;
  }
}
