import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.js';
import { DocumentTable, TABLE_DATA_ACTIONS, TABLE_KEYS } from '../lib/constructs/document-table.js';
import { emptyStack, logicalIdOf } from './support/patchline-app.js';
import { actionsOf, policyStatements, render, resourcesOf } from './support/template-queries.js';

function tableTemplate(retain: boolean) {
  const stack = emptyStack();
  const documents = new DocumentTable(stack, 'Documents', { retain });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  documents.grantStoreAccess(role);
  return { stack, documents, template: Template.fromStack(stack) };
}

describe(DocumentTable.name, () => {
  const { stack, documents, template } = tableTemplate(false);

  it('declares the single-table keys, GSI1 and on-demand billing', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        ['PK', 'SK', 'GSI1PK', 'GSI1SK'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      ),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('turns on TTL on expiresAt, point-in-time recovery and AWS-managed encryption', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // The AWS-managed KMS key: SSE on, and no customer key referenced.
      SSESpecification: Match.objectEquals({ SSEEnabled: true }),
    });
  });

  it('is destroyed with the stack and unprotected outside prod', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  it('is retained and deletion-protected in prod', () => {
    tableTemplate(true).template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('grants the store actions on the table and GSI1 only, never * or index/*', () => {
    const tableId = logicalIdOf(documents.table, stack);
    const [statement, ...others] = policyStatements(template);
    expect(others).toEqual([]);
    expect(actionsOf(statement!).sort()).toEqual([...TABLE_DATA_ACTIONS].sort());
    expect(resourcesOf(statement!).map(render)).toEqual([
      `\${${tableId}.Arn}`,
      `\${${tableId}.Arn}/index/GSI1`,
    ]);
    expect(actionsOf(statement!)).not.toContain('dynamodb:Scan');
  });

  it('mirrors TABLE_SCHEMA of collab-server (read as text: infra imports no collab-server code)', () => {
    const store = join(REPO_ROOT, 'collab-server/src/store');
    const schema = readFileSync(join(store, 'ensure-table.ts'), 'utf8');
    const layout = readFileSync(join(store, 'table-layout.ts'), 'utf8');
    expect(schema).toContain(`partitionKey: '${TABLE_KEYS.partitionKey}'`);
    expect(schema).toContain(`sortKey: '${TABLE_KEYS.sortKey}'`);
    expect(schema).toContain(`partitionKey: '${TABLE_KEYS.gsi1.partitionKey}'`);
    expect(schema).toContain(`sortKey: '${TABLE_KEYS.gsi1.sortKey}'`);
    expect(layout).toContain(`GSI1 = '${TABLE_KEYS.gsi1.name}'`);
    expect(layout).toContain(`TTL_ATTRIBUTE = '${TABLE_KEYS.ttlAttribute}'`);
  });
});
