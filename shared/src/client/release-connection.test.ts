import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { ControlMessage } from '../protocol/control-message.js';
import { createReleaseProvider, type ReleaseConnection } from './release-connection.js';
import type { WebSocketLike } from './release-socket.js';

/**
 * A socket the test drives by hand. Like `ws` on Node, it still delivers frames after `close()`
 * until the close completes, and it closes asynchronously.
 */
class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: string[] = [];

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  deliver(text: string): void {
    this.onmessage?.({ data: text });
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    queueMicrotask(() => {
      this.readyState = 3;
      this.onclose?.({ code: 1000, reason: '' });
    });
  }
}

const control = (message: ControlMessage) => JSON.stringify(message);
const clockClaim = control({
  type: 'rejected',
  reason: 'clock-claim',
  fields: [],
  message: 'Yjs client 1 is not yours',
});

/** Lets the socket's token fetch and close callbacks (microtasks) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

async function openConnection(): Promise<{ connection: ReleaseConnection; docs: Y.Doc[] }> {
  const connection = createReleaseProvider(new Y.Doc(), {
    url: 'ws://gateway.test',
    releaseId: 'rel1',
    getToken: () => 'token',
    WebSocketImpl: FakeSocket,
  });
  connection.awareness.setLocalState({ field: null });
  const docs: Y.Doc[] = [];
  connection.on('doc', (doc) => docs.push(doc));
  await settle();
  FakeSocket.made.at(-1)!.open();
  return { connection, docs };
}

describe('ReleaseConnection after a refused edit (PROTOCOL.md, "Refusals")', () => {
  beforeEach(() => {
    FakeSocket.made = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('replaces its document once per refusal on the live socket; frames of a replaced socket are ignored', async () => {
    const { connection, docs } = await openConnection();
    const first = FakeSocket.made[0]!;
    const firstDoc = connection.doc;
    first.deliver(clockClaim);
    expect(docs).toHaveLength(1);
    expect(connection.doc).not.toBe(firstDoc);
    const replaced = connection.doc;

    // A second refusal of the same burst (a clock-squatting flood) arrives on the old socket,
    // still closing: it concerns the document already dropped.
    first.deliver(clockClaim);
    await settle();
    first.deliver(clockClaim);
    expect(connection.doc).toBe(replaced);
    expect(docs).toHaveLength(1);
    expect(FakeSocket.made).toHaveLength(2);
    connection.destroy();
  });

  it('can be disconnected, reconnected and destroyed (twice) after replacing its document', async () => {
    const { connection } = await openConnection();
    FakeSocket.made[0]!.deliver(clockClaim);
    await settle();
    FakeSocket.made[1]!.open();
    FakeSocket.made[1]!.deliver(clockClaim);
    await settle();
    expect(FakeSocket.made).toHaveLength(3);
    const oldAwarenessState = connection.awareness.getLocalState();
    expect(oldAwarenessState).toEqual({ field: null });

    expect(() => connection.provider.disconnect()).not.toThrow();
    connection.provider.connect();
    await settle();
    expect(FakeSocket.made).toHaveLength(4);
    expect(() => connection.destroy()).not.toThrow();
    expect(() => connection.destroy()).not.toThrow();
    await settle();
    // Nothing keeps running: no reconnect, no presence renewal of any document's awareness.
    vi.runOnlyPendingTimers();
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    expect(FakeSocket.made).toHaveLength(4);
  });

  it('stays destroyed when a refusal arrives after destroy (no new socket, no new document)', async () => {
    const { connection, docs } = await openConnection();
    const socket = FakeSocket.made[0]!;
    const doc = connection.doc;
    connection.destroy();
    expect(() => socket.deliver(clockClaim)).not.toThrow();
    expect(() => socket.deliver(control({ type: 'revoked', message: 'Access ended' }))).not.toThrow();
    await settle();
    vi.runOnlyPendingTimers();
    await settle();
    expect(docs).toEqual([]);
    expect(connection.doc).toBe(doc);
    expect(FakeSocket.made).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the replaced document’s presence: its awareness stops and says nothing more', async () => {
    const { connection } = await openConnection();
    const oldAwareness = connection.awareness;
    const socket = FakeSocket.made[0]!;
    socket.deliver(clockClaim);
    expect(oldAwareness.getLocalState()).toBeNull();
    // The new document carries the person's presence forward.
    expect(connection.awareness).not.toBe(oldAwareness);
    expect(connection.awareness.getLocalState()).toEqual({ field: null });
    connection.destroy();
  });
});
