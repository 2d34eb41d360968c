import { AuditStore } from './audit-store.js';
import { ClientBindingStore } from './client-binding-store.js';
import { ConnectionStore } from './connection-store.js';
import { DeliveryStore } from './delivery-store.js';
import { createDynamoClient, type DynamoConfig } from './dynamo-client.js';
import { type DocumentStoreLimits, DynamoDocumentStore } from './dynamo-document-store.js';
import { GrantStore } from './grant-store.js';
import { HistoryStore } from './history-store.js';
import { InviteStore } from './invite-store.js';
import { LabelGroupStore } from './label-group-store.js';
import { ReleaseStore } from './release-store.js';
import { ShareLinkStore } from './share-link-store.js';
import { StagingStore } from './staging-store.js';

export type Stores = ReturnType<typeof createStores>;

/** Every store on one DynamoDB client and table. */
export function createStores(config: DynamoConfig, limits: Partial<DocumentStoreLimits> = {}) {
  const client = createDynamoClient(config);
  const documents = new DynamoDocumentStore(client, config.tableName, limits);
  return {
    client,
    tableName: config.tableName,
    documents,
    grants: new GrantStore(client, config.tableName),
    clientBindings: new ClientBindingStore(client, config.tableName),
    releases: new ReleaseStore(client, config.tableName),
    connections: new ConnectionStore(client, config.tableName),
    staging: new StagingStore(client, config.tableName),
    shareLinks: new ShareLinkStore(client, config.tableName),
    invites: new InviteStore(client, config.tableName),
    audit: new AuditStore(client, config.tableName),
    labelGroups: new LabelGroupStore(client, config.tableName),
    deliveries: new DeliveryStore(client, config.tableName),
    history: new HistoryStore(client, config.tableName),
  };
}
