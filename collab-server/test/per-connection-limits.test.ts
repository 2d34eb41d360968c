import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readReleaseFields, setReleaseField, writeMessageFrames } from '@patchline/shared';
import { createReleaseProvider, type WebSocketConstructor } from '@patchline/shared/client';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { DEFAULT_COLLAB_LIMITS } from '../src/core/limits.js';
import { createDynamoClient } from '../src/store/dynamo-client.js';
import { StagingStore } from '../src/store/staging-store.js';
import { keys } from '../src/store/table-layout.js';
import { type Actors, ownedRelease, signInActors } from './support/api-actors.js';
import { writeSyncStep1, writeSyncUpdate } from './support/raw-client.js';
import {
  isError,
  isSyncStep2,
  openRecordingSocket,
  type RecordingSocket,
} from './support/recording-socket.js';
import { connectRelease, waitForDoc } from './support/release-client.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let actors: Actors;
let url: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  url = stack.config.websocketUrl;
  actors = await signInActors(stack);
  return started.teardown;
});

const limits = DEFAULT_COLLAB_LIMITS;

async function servedSocket(releaseId: string, token: string): Promise<RecordingSocket> {
  const socket = openRecordingSocket(url, releaseId, token);
  expect(await socket.opened).toBe(true);
  socket.send(writeSyncStep1(new Uint8Array([0])));
  await socket.waitFor(isSyncStep2);
  return socket;
}

describe(`messages per connection: ${limits.maxMessagesPerSecond}/s, bursts of ${limits.messageBurst}`, () => {
  it('a flood gets too-many-messages and is closed, cut short; the others are still served', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const bystander = await servedSocket(releaseId, actors.token.viewer);
    const attacker = await servedSocket(releaseId, actors.token.editor);
    const answeredBefore = attacker.received.filter(isSyncStep2).length;
    const flood = 2 * limits.messageBurst;
    // Each sync step 1 makes the server encode the document and send it back.
    for (let i = 0; i < flood; i++) attacker.send(writeSyncStep1(new Uint8Array([0])));

    await attacker.waitFor(isError('too-many-messages'));
    await attacker.closed;
    // About one burst was answered before the close; the rest was dropped, not worked through.
    const answered = attacker.received.filter(isSyncStep2).length - answeredBefore;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(flood);
    await servedAgain(bystander);
    const left = await stack.stores.connections.listForRelease(releaseId);
    expect(left.filter((connection) => connection.userId === actors.sub.editor)).toEqual([]);
  }, 60_000);

  it('someone holding a key down (40 edits a second, each with its caret in presence) never hits it', async () => {
    const releaseId = await ownedRelease(stack, actors);
    let framesSent = 0;
    /** `ws`, counting what the typist's page sends. */
    class CountingSocket extends WebSocket {
      override send(data: string) {
        framesSent++;
        super.send(data);
      }
    }
    const typist = createReleaseProvider(new Y.Doc(), {
      url,
      releaseId,
      getToken: () => actors.token.editor,
      WebSocketImpl: CountingSocket as unknown as WebSocketConstructor,
    });
    onTestFinished(() => typist.destroy());
    const reader = connectRelease(url, releaseId, actors.token.viewer);
    await Promise.all([typist.whenSynced(), reader.whenSynced()]);
    const controls: unknown[] = [];
    typist.on('control', (message) => controls.push(message));
    let isDropped = false;
    typist.on('status', (status) => {
      if (status !== 'connected') isDropped = true;
    });

    const repeats = 160; // 4 s at 40 a second
    const sentBefore = framesSent;
    let typed = '';
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        typed += 'x';
        setReleaseField(typist.doc, 'title', typed);
        typist.awareness.setLocalStateField('field', typed.length % 2 ? 'release.title' : 'release.upc');
        if (typed.length === repeats) {
          clearInterval(timer);
          resolve();
        }
      }, 25);
    });
    await waitForDoc(reader.doc, (doc) => readReleaseFields(doc).title === typed);
    // Each repeat sent its edit and its presence, and some an answer to the server's sync step 1.
    expect(framesSent - sentBefore).toBeGreaterThanOrEqual(2 * repeats);
    expect(controls).toEqual([]);
    expect(isDropped).toBe(false);
  }, 30_000);
});

describe(`staged chunks per connection: ${limits.maxStagedChunks} chunks, ${limits.maxStagedBytes} bytes`, () => {
  it('partial messages past the bytes in flight answer too-many-pending-chunks; the tally never goes past it', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const attacker = await servedSocket(releaseId, actors.token.editor);
    const [{ connectionId }] = (await stack.stores.connections.listForRelease(releaseId)).filter(
      (connection) => connection.userId === actors.sub.editor,
    ) as [{ connectionId: string }];
    // Three 2 MB messages, of which 60 chunks each are sent: 180 full chunks, over 4 MB.
    for (const id of ['held0', 'held1', 'held2']) {
      const frames = writeMessageFrames(
        writeSyncUpdate(new Uint8Array(limits.maxMessageBytes - 16).fill(7)),
        {},
        id,
      );
      for (const frame of frames.slice(0, 60)) attacker.sendFrame(frame);
    }
    await attacker.waitFor(isError('too-many-pending-chunks'));
    await servedAgain(attacker);
    const tally = await readTally(connectionId);
    expect(tally.stagedBytes).toBeLessThanOrEqual(limits.maxStagedBytes);
    expect(tally.stagedChunks).toBeLessThanOrEqual(limits.maxStagedChunks);
  }, 60_000);
});

describe('the staging tally (store level, clock injected)', () => {
  const chunkOf = (id: string, index: number, count: number, size = 1000) => ({
    id,
    index,
    count,
    bytes: new Uint8Array(size).fill(index + 1),
  });

  it('a partial message left without new chunks past chunkTimeoutMs is deleted by the next chunk of the connection', async () => {
    const connectionId = `stale-${Date.now()}`;
    const { staging } = stack.stores;
    const t0 = Date.now();
    for (const index of [0, 1, 2]) {
      expect(await staging.stage(connectionId, chunkOf('abandoned', index, 5), limits, t0)).toEqual({
        kind: 'pending',
      });
    }
    const later = t0 + limits.chunkTimeoutMs + 1;
    expect(await staging.stage(connectionId, chunkOf('fresh', 0, 2), limits, later)).toEqual({
      kind: 'pending',
    });
    const left = (await staging.listAll(connectionId)).map((item) => item.SK);
    expect(left.filter((sk) => sk.startsWith(keys.stagePrefix('abandoned')))).toEqual([]);
    expect(left).toContain(keys.stage('fresh', 0));
    // A late chunk of the abandoned message is dropped, not staged again.
    expect(await staging.stage(connectionId, chunkOf('abandoned', 3, 5), limits, later + 1)).toEqual({
      kind: 'dropped',
    });
    expect((await staging.listAll(connectionId)).map((item) => item.SK)).not.toContain(
      keys.stage('abandoned', 3),
    );
    const tally = await readTally(connectionId);
    expect(tally).toMatchObject({ stagedChunks: 1, stagedBytes: 1000 });
    await staging.deleteAll(connectionId);
    expect(await staging.listAll(connectionId)).toEqual([]);
  });

  it('each chunk costs the same few requests however many are staged; the message is read once', async () => {
    const client = createDynamoClient({ ...stack.config.dynamodb, region: stack.config.region });
    const requests: string[] = [];
    for (const target of [client, client.lowLevel]) {
      target.middlewareStack.add(
        (next, context) => (args) => {
          requests.push(String(context.commandName));
          return next(args);
        },
        { step: 'initialize' },
      );
    }
    const staging = new StagingStore(client, stack.config.dynamodb.tableName);
    const connectionId = `cost-${Date.now()}`;
    const count = 80;
    const now = Date.now();
    const perChunk: number[] = [];
    let message: Uint8Array | null = null;
    // 80 full chunks: 1.96 MB, under maxMessageBytes.
    for (let index = 0; index < count; index++) {
      const before = requests.length;
      const outcome = await staging.stage(connectionId, chunkOf('big', index, count, 24_552), limits, now);
      if (outcome.kind === 'complete') message = outcome.message;
      else perChunk.push(requests.length - before);
    }
    expect(message?.length).toBe(count * 24_552);
    // A put of the chunk and one update of the tally, for the first chunk as for the 85th.
    expect(new Set(perChunk)).toEqual(new Set([2]));
    const reads = requests.filter(
      (name) => name === 'QueryCommand' || name === 'GetItemCommand' || name === 'GetCommand',
    );
    expect(reads.length).toBeLessThanOrEqual(2); // the completing chunk's Query (two 1 MB pages)
    expect((await staging.listAll(connectionId)).map((item) => item.SK)).toEqual([keys.stagingTally]);
    client.destroy();
  });
});

/** Sends sync step 1 again and waits for its answer: everything sent before has been received. */
async function servedAgain(socket: RecordingSocket): Promise<void> {
  const seen = socket.received.length;
  socket.send(writeSyncStep1(new Uint8Array([0])));
  await socket.waitFor((item) => isSyncStep2(item) && socket.received.indexOf(item) >= seen);
}

async function readTally(connectionId: string): Promise<Record<string, unknown>> {
  const { Item } = await stack.stores.client.send(
    new GetCommand({
      TableName: stack.stores.tableName,
      Key: { PK: keys.connection(connectionId), SK: keys.stagingTally },
      ConsistentRead: true,
    }),
  );
  return Item ?? {};
}
