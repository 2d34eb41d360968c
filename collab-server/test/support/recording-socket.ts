import {
  type ControlMessage,
  MessageAssembler,
  MessageType,
  SyncMessageType,
  writeMessageFrames,
} from '@patchline/shared';
import * as decoding from 'lib0/decoding';
import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { readAwarenessEntries } from '../../src/core/awareness-entries.js';
import { releaseUrl } from './handshake.js';

/** Everything the server sent one socket, decoded, in arrival order. */
export type Received =
  | { kind: 'control'; message: ControlMessage }
  | { kind: 'sync'; sub: number; payload: Uint8Array }
  | { kind: 'awareness'; entries: { clientId: number; clock: number }[] }
  | { kind: 'other'; message: Uint8Array };

/**
 * A socket from the attacker's seat: it opens (or is refused), sends exactly what the test says,
 * and records everything it receives, so a test can assert what reached it and what did not.
 */
export interface RecordingSocket {
  /** True once open; false when the handshake was refused (`refusedStatus` says with what). */
  opened: Promise<boolean>;
  refusedStatus: number | null;
  received: Received[];
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
  send(message: Uint8Array): void;
  sendFrame(text: string): void;
  /** Resolves with the first received item (already received or later) that `predicate` accepts. */
  waitFor(predicate: (item: Received) => boolean): Promise<Received>;
}

export function openRecordingSocket(base: string, releaseId: string, token: string): RecordingSocket {
  const ws = new WebSocket(releaseUrl(base, { doc: releaseId, token }));
  onTestFinished(() => ws.terminate());
  const assembler = new MessageAssembler();
  const received: Received[] = [];
  const waiters: { predicate: (item: Received) => boolean; resolve: (item: Received) => void }[] = [];
  let isClosed = false;
  const socket: RecordingSocket = {
    refusedStatus: null,
    received,
    opened: new Promise((resolve, reject) => {
      ws.on('error', () => undefined);
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', (request, response) => {
        socket.refusedStatus = response.statusCode ?? 0;
        response.resume();
        request.destroy();
        resolve(false);
      });
      ws.once('close', () => reject(new Error('closed before the handshake completed')));
    }),
    closed: new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        isClosed = true;
        resolve({ code, reason: reason.toString('utf8') });
      }),
    ),
    isClosed: () => isClosed,
    send: (message) => {
      for (const frame of writeMessageFrames(message)) ws.send(frame);
    },
    sendFrame: (text) => ws.send(text),
    waitFor: (predicate) => {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
  socket.opened.catch(() => undefined);
  ws.on('message', (data) => {
    const result = assembler.receive(String(data));
    const item: Received | null =
      result.kind === 'control'
        ? { kind: 'control', message: result.message }
        : result.kind === 'message'
          ? decode(result.message)
          : null;
    if (!item) return;
    received.push(item);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(item)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(item);
    }
  });
  return socket;
}

function decode(message: Uint8Array): Received {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.sync) {
    const sub = decoding.readVarUint(decoder);
    return { kind: 'sync', sub, payload: decoding.readVarUint8Array(decoder) };
  }
  if (type === MessageType.awareness) {
    const entries = readAwarenessEntries(decoding.readVarUint8Array(decoder));
    return {
      kind: 'awareness',
      entries: entries.map(({ clientId, clock }) => ({ clientId, clock })),
    };
  }
  return { kind: 'other', message };
}

/** Whether a received sync message carries `text` (Yjs writes strings as UTF-8). */
export const carriesText = (item: Received, text: string) =>
  item.kind === 'sync' && Buffer.from(item.payload).includes(Buffer.from(text, 'utf8'));

export const isSyncStep2 = (item: Received) => item.kind === 'sync' && item.sub === SyncMessageType.step2;

/** Whether a received awareness message holds `clientId`'s entry at `clock`. */
export const carriesPresence = (item: Received, clientId: number, clock: number) =>
  item.kind === 'awareness' &&
  item.entries.some((entry) => entry.clientId === clientId && entry.clock === clock);

export const isError = (code: string) => (item: Received) =>
  item.kind === 'control' && item.message.type === 'error' && item.message.code === code;
