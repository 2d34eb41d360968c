import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomId } from '@patchline/shared';
import type { StoreClient } from './dynamo-client.js';
import { queryPrefix } from './query-all.js';
import { keys } from './table-layout.js';

export const AUDIT_ACTIONS = [
  'release.created',
  'release.deleted',
  'member.granted',
  'member.invited',
  'member.role-changed',
  'member.revoked',
  'link.created',
  'link.revoked',
  'link.redeemed',
  'status.changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  releaseId: string;
  at: string;
  actorId: string;
  actorName: string;
  action: AuditAction;
  /** What it was done to: a user id, an email, a link id, a status transition. */
  target?: string;
  details?: Record<string, string | number | null>;
}

type AuditItem = AuditEvent & { PK: string; SK: string };

export class AuditStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    const item: AuditItem = {
      ...event,
      PK: keys.release(event.releaseId),
      SK: keys.audit(Date.parse(event.at), randomId(6)),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** Newest first. */
  async listForRelease(releaseId: string): Promise<AuditEvent[]> {
    const items = await queryPrefix<AuditItem>(
      this.client,
      this.tableName,
      keys.release(releaseId),
      keys.auditPrefix,
    );
    return items.reverse().map(({ PK: _pk, SK: _sk, ...event }) => event);
  }
}
