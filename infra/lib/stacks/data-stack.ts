import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type PatchlineConfig, stageSettings } from '../config.js';
import { DocumentTable } from '../constructs/document-table.js';
import { PatchlineUserPool } from '../constructs/user-pool.js';

export interface DataStackProps extends StackProps {
  readonly config: PatchlineConfig;
}

/**
 * The stateful half: the user pool and the table. Kept apart from the stateless stack so that
 * replacing APIs or functions can never touch users or documents; retained and deletion-protected
 * in prod.
 */
export class DataStack extends Stack {
  readonly identity: PatchlineUserPool;
  readonly documents: DocumentTable;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { retainData } = stageSettings(props.config.stage);
    this.identity = new PatchlineUserPool(this, 'Identity', {
      stage: props.config.stage,
      retain: retainData,
    });
    this.documents = new DocumentTable(this, 'Documents', { retain: retainData });

    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.webClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.documents.table.tableName });
  }
}
