import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Key names of the single table. They duplicate `TABLE_SCHEMA` in
 * collab-server/src/store/ensure-table.ts (and `GSI1` / `TTL_ATTRIBUTE` in table-layout.ts):
 * infra imports no collab-server TypeScript, so a change there must be mirrored here.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  ttlAttribute: 'expiresAt',
} as const;

/**
 * The item-level actions the store issues (Get/Put/Update/Delete, Query, BatchGet/BatchWrite).
 * No Scan, no table management: the stack owns the table's shape.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
] as const;

export interface DocumentTableProps {
  /** RETAIN plus deletion protection (prod); DESTROY otherwise. */
  readonly retain: boolean;
}

/**
 * Data: the one DynamoDB table of the store (ARCHITECTURE.md single-table layout): on demand,
 * GSI1 with every attribute projected, TTL on `expiresAt`, point-in-time recovery, AWS-managed
 * encryption.
 */
export class DocumentTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DocumentTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1.name,
      partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /**
   * Grants the store's item actions on this table and its GSI1, named exactly: the generated
   * `grantReadWriteData` would add `index/*` and table-management reads the handlers never use.
   */
  grantStoreAccess(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_DATA_ACTIONS],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${TABLE_KEYS.gsi1.name}`],
    });
  }
}
