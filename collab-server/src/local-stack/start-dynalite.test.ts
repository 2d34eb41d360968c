import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createStores } from '../store/create-stores.js';
import { ensureTable } from '../store/ensure-table.js';
import { startDynalite } from './start-dynalite.js';

describe('startDynalite', () => {
  it('close() lets the writes already in flight finish instead of closing LevelDB under them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchline-dynalite-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const dynamo = await startDynalite({ host: '127.0.0.1', port: 0, path: join(dir, 'db') });
    const stores = createStores({ tableName: 'drain', region: 'local', endpoint: dynamo.endpoint });
    await ensureTable(stores.client, 'drain');

    // Batches of 25 items are written by dynalite one LevelDB step at a time: closing the
    // database between two steps used to throw "Database is closed" outside any caller.
    const batch = (n: number) =>
      stores.client.send(
        new BatchWriteCommand({
          RequestItems: {
            drain: Array.from({ length: 25 }, (_, i) => ({
              PutRequest: { Item: { PK: `batch#${n}`, SK: `item#${i}`, body: 'x'.repeat(4_000) } },
            })),
          },
        }),
      );
    const writes = Array.from({ length: 8 }, (_, n) => batch(n));
    await writes[0]; // the others are on their way or being written now
    await dynamo.close();
    const outcomes = await Promise.allSettled(writes);
    // Each write either completed or was refused whole (503, closed socket); the process
    // survived, which Vitest would otherwise report as an uncaught "Database is closed".
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThan(0);
  });
});
