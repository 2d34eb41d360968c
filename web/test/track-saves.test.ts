import { createSheet, setReleaseFields } from '@patchline/shared';
import type { ReleaseConnection } from '@patchline/shared/client';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { trackSaves } from '../lib/collab/track-saves';

/** Just enough of y-websocket's provider: its sync handler slot and an open socket. */
function fakeProvider(doc: Y.Doc) {
  const sent: Uint8Array[] = [];
  const provider = {
    wsconnected: true,
    ws: { readyState: 1, OPEN: 1, send: (data: Uint8Array) => sent.push(data) },
    messageHandlers: [
      (encoder: encoding.Encoder, decoder: decoding.Decoder) => {
        syncProtocol.readSyncMessage(decoder, encoder, doc, provider);
      },
    ],
  };
  /** Delivers a server message the way the provider's socket handler does. */
  const receive = (message: Uint8Array) => {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder); // message type: sync
    provider.messageHandlers[0]!(encoding.createEncoder(), decoder);
  };
  return { provider: provider as unknown as ReleaseConnection['provider'], sent, receive };
}

const serverMessage = (write: (encoder: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  write(encoder);
  return encoding.toUint8Array(encoder);
};

describe(trackSaves.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks the server after local edits and reports saved once the server has them', () => {
    const server = createSheet({ release: { title: 'Night Drive' } });
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const { provider, sent, receive } = fakeProvider(client);
    const changes: boolean[] = [];
    const stop = trackSaves(provider, client, (pending) => changes.push(pending));
    // The first sync: the server's step 2 and step 1.
    receive(serverMessage((e) => syncProtocol.writeSyncStep2(e, server, Y.encodeStateVector(client))));
    receive(serverMessage((e) => syncProtocol.writeSyncStep1(e, server)));
    expect(changes.at(-1)).toBe(false);

    setReleaseFields(client, { title: 'Night Drive (Deluxe)' });
    expect(changes.at(-1)).toBe(true);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(700);
    expect(sent).toHaveLength(1); // a sync step 1 asking what the server has

    // The update reaches the server; its answer to our step 1 proves it.
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
    receive(serverMessage((e) => syncProtocol.writeSyncStep2(e, server, Y.encodeStateVector(client))));
    receive(serverMessage((e) => syncProtocol.writeSyncStep1(e, server)));
    expect(changes.at(-1)).toBe(false);
    vi.advanceTimersByTime(20_000);
    expect(sent).toHaveLength(1); // nothing pending: no more questions

    stop();
    expect(provider.messageHandlers[0]).toBeTypeOf('function');
  });

  it('keeps asking, with backoff, while the server still lacks the edit', () => {
    const server = createSheet();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const { provider, sent, receive } = fakeProvider(client);
    const stop = trackSaves(provider, client, () => {});
    receive(serverMessage((e) => syncProtocol.writeSyncStep1(e, server)));
    setReleaseFields(client, { genre: 'House' });
    vi.advanceTimersByTime(700);
    vi.advanceTimersByTime(1_600);
    vi.advanceTimersByTime(3_100);
    expect(sent.length).toBe(3);
    stop();
  });

  it('asks the server when what it sent leaves this document unsaved, with no local edit to do so', () => {
    const server = createSheet({ release: { title: 'Night Drive' } });
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const { provider, sent, receive } = fakeProvider(client);
    const changes: boolean[] = [];
    const stop = trackSaves(provider, client, (pending) => changes.push(pending));

    // A collaborator's edit relayed before the server's sync step 1: the document holds content
    // the server has not yet said it stores, and nothing local will ever ask.
    const collaborator = new Y.Doc();
    Y.applyUpdate(collaborator, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(collaborator);
    setReleaseFields(collaborator, { title: 'Night Drive (Live)' });
    receive(serverMessage((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(collaborator, before))));
    expect(changes.at(-1)).toBe(true);
    vi.advanceTimersByTime(700);
    expect(sent).toHaveLength(1); // our sync step 1: the server's answer settles it

    Y.applyUpdate(server, Y.encodeStateAsUpdate(collaborator, Y.encodeStateVector(server)));
    receive(serverMessage((e) => syncProtocol.writeSyncStep2(e, server, Y.encodeStateVector(client))));
    receive(serverMessage((e) => syncProtocol.writeSyncStep1(e, server)));
    expect(changes.at(-1)).toBe(false);
    stop();
  });
});
