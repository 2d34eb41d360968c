import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRole } from '@patchline/permissions';
import type { StoreClient } from './dynamo-client.js';
import { queryAll, queryPrefix } from './query-all.js';
import { GSI1, keys } from './table-layout.js';

/** A role granted to an email that has no account yet; it becomes a grant when they sign in. */
export interface Invite {
  releaseId: string;
  email: string;
  role: ReleaseRole;
  invitedBy: string;
  createdAt: string;
}

type InviteItem = Invite & { PK: string; SK: string; GSI1PK: string; GSI1SK: string };
const toInvite = ({ PK: _pk, SK: _sk, GSI1PK: _a, GSI1SK: _b, ...invite }: InviteItem): Invite => invite;

export class InviteStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async put(invite: Invite): Promise<void> {
    const item: InviteItem = {
      ...invite,
      PK: keys.release(invite.releaseId),
      SK: keys.invite(invite.email),
      GSI1PK: keys.email(invite.email),
      GSI1SK: keys.release(invite.releaseId),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async listForRelease(releaseId: string): Promise<Invite[]> {
    return (
      await queryPrefix<InviteItem>(this.client, this.tableName, keys.release(releaseId), keys.invitePrefix)
    ).map(toInvite);
  }

  async listForEmail(email: string): Promise<Invite[]> {
    const items = await queryAll<InviteItem>(this.client, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :email',
      ExpressionAttributeValues: { ':email': keys.email(email) },
    });
    return items.map(toInvite);
  }

  async delete(releaseId: string, email: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.invite(email) },
      }),
    );
  }
}
