import {
  CloseCode,
  DEFAULT_PROTOCOL_LIMITS,
  encodeBase64,
  replaceNotesText,
  setReleaseField,
  writeMessageFrames,
} from '@patchline/shared';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAwarenessEntries } from '../src/core/awareness-entries.js';
import { handleMessage } from '../src/core/handle-message.js';
import { openBystanders, storedState } from './support/bystanders.js';
import { coreDeps } from './support/core-deps.js';
import {
  describeReply,
  openRawClient,
  type Reply,
  writeAwareness,
  writeAwarenessUpdate,
  writeSyncStep1,
  writeSyncUpdate,
} from './support/raw-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
const tokens: Record<string, string> = {};
/**
 * What the gateway reported about the handlers: one that threw (the client sees nothing, as
 * with a failed Lambda) or a worker process that died. A `PostToConnection` that lost a race
 * with a closing socket is answered 410 Gone and is no failure of the server.
 */
const gatewayReports: string[] = [];

beforeAll(async () => {
  const started = await startTestStack({
    workers: 3,
    gatewayOptions: {
      log: (message, error) => {
        console.error(`[local-gateway] ${message}`, error ?? '');
        if (message.startsWith('PostToConnection')) return;
        gatewayReports.push(error === undefined ? message : `${message}: ${String(error)}`);
      },
    },
  });
  stack = started.stack;
  for (const role of ['editor', 'manager'] as const) tokens[role] = await idTokenOf(stack.config, role);
  return started.teardown;
});

/**
 * The scene of every case: two well-behaved clients on the demo release, the stored state
 * before anything bad is sent, and a raw client with a valid editor token that misbehaves.
 */
async function misbehave() {
  const releaseId = stack.demoReleaseId;
  const bystanders = await openBystanders(stack, releaseId, {
    writer: tokens.editor!,
    reader: tokens.manager!,
  });
  const before = await storedState(stack, releaseId);
  const known = new Set(
    (await stack.stores.connections.listForRelease(releaseId)).map((c) => c.connectionId),
  );
  const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
  const mine = (await stack.stores.connections.listForRelease(releaseId)).filter(
    (c) => !known.has(c.connectionId),
  );
  expect(mine).toHaveLength(1);
  const connectionId = mine[0]!.connectionId;
  return {
    raw,
    connectionId,
    bystanders,
    before,
    /** Nothing reached the document, the staged chunks or the connection's presence. */
    async expectNothingStored() {
      expect(await storedState(stack, releaseId)).toEqual(before);
      // A refused message leaves its marker in the connection's staging tally (so its late
      // chunks are dropped), never chunk data.
      const staged = await stack.stores.staging.listAll(connectionId);
      expect(staged.filter((item) => item.SK !== 'STAGE#~')).toEqual([]);
      const presence = await stack.stores.connections.getInRelease(releaseId, connectionId);
      expect(presence?.awareness).toBeUndefined();
    },
    /** The others are still served, and no handler failed along the way. */
    async expectOthersServed() {
      await bystanders.proveServing();
      expect(gatewayReports).toEqual([]);
    },
    /** A copy of the stored document, to build real updates on. */
    storedCopy() {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, before.state);
      return doc;
    },
  };
}

/** The update one local edit produces. */
function updateOf(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | undefined;
  const capture = (bytes: Uint8Array) => {
    update = bytes;
  };
  doc.on('update', capture);
  edit(doc);
  doc.off('update', capture);
  if (!update) throw new Error('the edit produced no update');
  return update;
}

const errorFrame = (code: string): Reply => ({
  kind: 'control',
  message: { type: 'error', code, message: expect.any(String) },
});

describe('bad frames (PROTOCOL P1–P9): a clear error, nothing stored, others still served', () => {
  it('P9: a binary frame closes the socket with 1003, even when it carries a valid edit', async () => {
    const scene = await misbehave();
    const edit = updateOf(scene.storedCopy(), (doc) => setReleaseField(doc, 'genre', 'Sent as binary'));
    scene.raw.ws.send(writeSyncUpdate(edit), { binary: true });
    expect((await scene.raw.closed).code).toBe(CloseCode.unsupportedData);
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P1: a frame over 32 KB closes the socket with 1009, even when it carries a valid edit', async () => {
    const scene = await misbehave();
    const edit = updateOf(scene.storedCopy(), (doc) => replaceNotesText(doc, 'x'.repeat(30_000)));
    const frame = encodeBase64(writeSyncUpdate(edit));
    expect(frame.length).toBeGreaterThan(DEFAULT_PROTOCOL_LIMITS.maxFrameBytes);
    scene.raw.sendFrame(frame);
    expect((await scene.raw.closed).code).toBe(CloseCode.messageTooBig);
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P2: an empty frame answers empty-frame', async () => {
    const scene = await misbehave();
    scene.raw.sendFrame('');
    expect(await scene.raw.nextReply()).toEqual(errorFrame('empty-frame'));
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P3: frames that are not canonical base64 answer bad-base64', async () => {
    const scene = await misbehave();
    const frames = ['AB==', 'AAA', 'AA-_', 'AAAA\n', 'A===', '!!!!', 'AAAAé'];
    for (const frame of frames) scene.raw.sendFrame(frame);
    for (const frame of frames) {
      expect(await scene.raw.nextReply(), `frame ${JSON.stringify(frame)}`).toEqual(errorFrame('bad-base64'));
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P4: chunk frames with a malformed header answer bad-chunk-header and stage nothing', async () => {
    const scene = await misbehave();
    const frames = [
      '~abc:2:2:AAAA', // index ≥ count
      '~abc:0:1:AAAA', // a one-chunk message would be a data frame
      '~abc:01:3:AAAA', // leading zero
      '~abc:0:1025:AAAA', // count over maxChunks
      '~a.b:0:2:AAAA', // id outside [A-Za-z0-9_-]
      `~${'x'.repeat(33)}:0:2:AAAA`, // id over 32 characters
      '~abc:0:2', // no body
      '~:0:2:AAAA', // no id
    ];
    for (const frame of frames) scene.raw.sendFrame(frame);
    for (const frame of frames) {
      expect(await scene.raw.nextReply(), `frame ${frame}`).toEqual(errorFrame('bad-chunk-header'));
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P5: a chunk whose count differs from the one seen before for its id answers chunk-conflict and drops the message', async () => {
    const scene = await misbehave();
    const [first, second] = writeMessageFrames(
      writeSyncUpdate(updateOf(scene.storedCopy(), (doc) => replaceNotesText(doc, 'y'.repeat(30_000)))),
      {},
      'conflicting',
    );
    expect(second).toMatch(/^~conflicting:1:2:/);
    scene.raw.sendFrame(first!);
    scene.raw.sendFrame(second!.replace(':1:2:', ':1:3:'));
    expect(await scene.raw.nextReply()).toEqual(errorFrame('chunk-conflict'));
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P9: control frames are server → client only: a client sending one gets unknown-frame', async () => {
    const scene = await misbehave();
    const frames = [
      JSON.stringify({ type: 'revoked', message: 'you are all revoked' }),
      JSON.stringify({ type: 'role-changed', role: 'owner', message: 'I am the owner now' }),
      JSON.stringify({ type: 'rejected', fields: [], reason: 'x', message: 'y' }),
    ];
    for (const frame of frames) scene.raw.sendFrame(frame);
    for (const frame of frames) {
      expect(await scene.raw.nextReply(), frame).toEqual(errorFrame('unknown-frame'));
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P8: a frame that starts with { but is not a control message answers bad-control-message', async () => {
    const scene = await misbehave();
    const frames = ['{', '{"type":"hello"}', '{"type":"error","code":""}'];
    for (const frame of frames) scene.raw.sendFrame(frame);
    for (const frame of frames) {
      expect(await scene.raw.nextReply(), frame).toEqual(errorFrame('bad-control-message'));
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('P6: chunks adding up to one byte over 2 MB answer message-too-large; nothing is stored or left staged', async () => {
    const scene = await misbehave();
    const limit = DEFAULT_PROTOCOL_LIMITS.maxMessageBytes;
    // A sync update envelope (type, sub-type, a 3-byte length) around filler: the server must
    // refuse it by size before it reads any of it.
    const message = writeSyncUpdate(new Uint8Array(limit + 1 - 5).fill(7));
    expect(message.length).toBe(limit + 1);
    scene.raw.sendMessage(message, { maxMessageBytes: 2 * limit });
    expect(await scene.raw.nextReply()).toEqual(errorFrame('message-too-large'));
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  }, 120_000);

  // The chunks after the one that crossed the limit are dropped as they come (the message is
  // closed), and may still be running when the answer arrives, so only the document is checked.
  it('P6: a message far over 2 MB answers message-too-large once and stores nothing in the document', async () => {
    const scene = await misbehave();
    const limit = DEFAULT_PROTOCOL_LIMITS.maxMessageBytes;
    const frames = writeMessageFrames(writeSyncUpdate(new Uint8Array(limit + limit / 2).fill(7)), {
      maxMessageBytes: 2 * limit,
    });
    for (const frame of frames) scene.raw.sendFrame(frame);
    expect(await scene.raw.nextReply()).toEqual(errorFrame('message-too-large'));
    await scene.raw.expectServed();
    expect(await storedState(stack, stack.demoReleaseId)).toEqual(scene.before);
    await scene.expectOthersServed();
  }, 120_000);
});

describe('bad y-protocols messages: malformed-message, nothing stored, others still served', () => {
  it('unknown message types answer malformed-message', async () => {
    const scene = await misbehave();
    const messages = [[9], [4, 1, 2], [0x80, 0x01], [0, 7, 0]];
    for (const message of messages) scene.raw.sendMessage(new Uint8Array(message));
    for (const message of messages) {
      expect(await scene.raw.nextReply(), `message [${message}]`).toEqual(errorFrame('malformed-message'));
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('truncated sync messages answer malformed-message', async () => {
    const scene = await misbehave();
    const edit = writeSyncUpdate(
      updateOf(scene.storedCopy(), (doc) => setReleaseField(doc, 'genre', 'Truncated')),
    );
    const messages = [
      edit.subarray(0, edit.length - 1), // the update is one byte shorter than its length says
      edit.subarray(0, 3),
      new Uint8Array([0]), // sync without a sub-type
      new Uint8Array([0, 2]), // an update without its bytes
      new Uint8Array([0, 0, 5, 1]), // a state vector shorter than announced
      new Uint8Array([1]), // awareness without its update
    ];
    for (const message of messages) scene.raw.sendMessage(message);
    for (const message of messages) {
      expect(await scene.raw.nextReply(), `message [${message}]`).toEqual(errorFrame('malformed-message'));
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('a state vector that lib0 reads but Yjs cannot use answers malformed-message', async () => {
    const scene = await misbehave();
    // One client, then nothing where its id and clock should be.
    scene.raw.sendMessage(writeSyncStep1(new Uint8Array([1])));
    expect(await scene.raw.nextReply()).toEqual(errorFrame('malformed-message'));
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('random messages (fast-check) get an error, a rejection, a sync answer or nothing; no handler fails and nothing is stored', async () => {
    const scene = await misbehave();
    const stored = scene.storedCopy();
    const stateVector = Y.encodeStateVector(stored);
    // What the server answers to a sync step 1 carrying its own state: nothing new.
    const answer = Y.encodeStateAsUpdate(stored, stateVector);
    const body = fc.uint8Array({ minLength: 0, maxLength: 48 });
    const message = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 48 }),
      fc.tuple(fc.constantFrom(0, 1, 2, 3), body).map(([type, rest]) => Uint8Array.from([type, ...rest])),
      body.map(writeSyncUpdate), // well framed, so Yjs itself decodes the random bytes
      body.map(writeSyncStep1),
      body.map(writeAwareness),
    );
    await fc.assert(
      fc.asyncProperty(message, async (bytes) => {
        scene.raw.sendMessage(bytes);
        scene.raw.sendMessage(writeSyncStep1(stateVector));
        // The gateway may run the two at once and in either order (as API Gateway does), so
        // what the random message caused may come before, between or after our answer; every
        // reply must be one of these, and our step 1 is answered.
        let answered = false;
        while (!answered) {
          const reply = await scene.raw.nextReply();
          if (reply.kind === 'sync-step2' && equalBytes(reply.update, answer)) answered = true;
          else if (reply.kind === 'control') expect(['error', 'rejected']).toContain(reply.message.type);
          else expect(['sync-step1', 'sync-step2'], describeReply(reply)).toContain(reply.kind);
        }
        // A handler that threw answers nothing, so only the gateway's report shows it.
        expect(gatewayReports).toEqual([]);
      }),
      { numRuns: 30 },
    );
    expect(scene.raw.ws.readyState).toBe(scene.raw.ws.OPEN);
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  }, 120_000);
});

describe('bad Yjs updates (AB20): refused as a whole, stored nowhere', () => {
  it('a corrupt update (truncated, or with a broken struct) is rejected as undecodable-update', async () => {
    const scene = await misbehave();
    const update = updateOf(scene.storedCopy(), (doc) => setReleaseField(doc, 'genre', 'Corrupt'));
    const brokenStruct = update.slice();
    // V1 layout: numClients, numStructs, client, clock, then the first struct's info byte;
    // content ref 31 does not exist.
    brokenStruct[structInfoOffset(update)] = 0x1f | (update[structInfoOffset(update)]! & 0xe0);
    const corrupt = [update.subarray(0, update.length - 2), update.subarray(0, 6), brokenStruct];
    for (const bytes of corrupt) scene.raw.sendMessage(writeSyncUpdate(bytes));
    for (const bytes of corrupt) {
      expect(await scene.raw.nextReply(), `update [${bytes}]`).toEqual({
        kind: 'control',
        message: { type: 'rejected', reason: 'undecodable-update', fields: [], message: expect.any(String) },
      });
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('an update built on changes the server lacks is not stored; the server asks for them (sync step 1)', async () => {
    const scene = await misbehave();
    const doc = scene.storedCopy();
    updateOf(doc, (d) => setReleaseField(d, 'genre', 'First, never sent'));
    const second = updateOf(doc, (d) => setReleaseField(d, 'genre', 'Second, depends on the first'));
    scene.raw.sendMessage(writeSyncUpdate(second));
    const reply = await scene.raw.nextReply();
    expect(reply.kind, describeReply(reply)).toBe('sync-step1');
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });

  it('an update that creates a root type outside the layout is rejected as forbidden-field', async () => {
    const scene = await misbehave();
    const update = updateOf(scene.storedCopy(), (doc) => doc.getMap('backdoor').set('role', 'admin'));
    scene.raw.sendMessage(writeSyncUpdate(update));
    expect(await scene.raw.nextReply()).toEqual({
      kind: 'control',
      message: {
        type: 'rejected',
        reason: 'forbidden-field',
        fields: ['unknown:backdoor/role'],
        message: expect.any(String),
      },
    });
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });
});

describe('bad awareness (ST4): bad-awareness, no presence stored or sent', () => {
  it('awareness updates that do not decode to JSON objects answer bad-awareness', async () => {
    const scene = await misbehave();
    const clientId = 4242;
    const updates = [
      Uint8Array.from([1, 0x92, 0x21, 0xff, 0xff]), // garbage: a clock that never ends
      writeAwarenessUpdate([{ clientId, clock: 1, state: '[1,2,3]' }]), // a JSON array
      writeAwarenessUpdate([{ clientId, clock: 1, state: '"cursor"' }]), // a JSON string
      writeAwarenessUpdate([{ clientId, clock: 1, state: '{"user":' }]), // not JSON
      writeAwarenessUpdate([]), // no entries
      Uint8Array.from([...writeAwarenessUpdate([{ clientId, clock: 1, state: '{}' }]), 0]), // trailing bytes
      writeAwarenessUpdate([{ clientId, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(17_000) }) }]),
    ];
    for (const update of updates) scene.raw.sendMessage(writeAwareness(update));
    for (const update of updates) {
      expect(await scene.raw.nextReply(), `awareness [${update.subarray(0, 16)}…]`).toEqual(
        errorFrame('bad-awareness'),
      );
    }
    await scene.raw.expectServed();
    await scene.expectNothingStored();
    await scene.expectOthersServed();
  });
});

describe("others' presence (ST4): a connection speaks only for the Yjs client it announced", () => {
  it("another client's state, alone or relayed beside its own, is neither stored nor sent", async () => {
    const scene = await misbehave();
    const releaseId = stack.demoReleaseId;
    // The handler itself, awaited, so each step is done before the next is checked.
    const deps = coreDeps(stack);
    const connection = (await stack.stores.connections.get(scene.connectionId))!;
    const sendAwareness = (entries: { clientId: number; clock: number; name: string }[]) =>
      handleMessage(
        deps,
        connection,
        writeAwareness(
          writeAwarenessUpdate(
            entries.map(({ clientId, clock, name }) => ({
              clientId,
              clock,
              state: JSON.stringify({ user: { name } }),
            })),
          ),
        ),
      );
    const storedPresence = async () => {
      const presence = await stack.stores.connections.getInRelease(releaseId, scene.connectionId);
      return readAwarenessEntries(presence!.awareness!).map(({ clientId, clock }) => ({ clientId, clock }));
    };

    await sendAwareness([{ clientId: 4242, clock: 1, name: 'Raw' }]);
    expect(await storedPresence()).toEqual([{ clientId: 4242, clock: 1 }]);
    await sendAwareness([{ clientId: 777, clock: 5, name: 'Forged' }]);
    expect(await storedPresence()).toEqual([{ clientId: 4242, clock: 1 }]);
    await sendAwareness([
      { clientId: 777, clock: 6, name: 'Forged' },
      { clientId: 4242, clock: 2, name: 'Raw' },
    ]);
    expect(await storedPresence()).toEqual([{ clientId: 4242, clock: 2 }]);

    await scene.raw.expectServed();
    // Posts to one socket arrive in order: the reader has had whatever was broadcast above.
    await scene.expectOthersServed();
    const seen = scene.bystanders.reader.awareness.getStates();
    // What others see is the server's user for this connection, not the name it sent.
    expect(seen.get(4242)).toMatchObject({ user: { sub: connection.userId, name: connection.name } });
    expect(seen.has(777)).toBe(false);
  });
});

const equalBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Offset of the first struct's info byte in a V1 update with one client. */
function structInfoOffset(update: Uint8Array): number {
  let offset = 0;
  for (let varUints = 0; varUints < 4; varUints++) {
    while (update[offset]! & 0x80) offset++;
    offset++;
  }
  return offset;
}
