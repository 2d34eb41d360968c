import {
  type ControlMessage,
  MessageAssembler,
  MessageType,
  SyncMessageType,
  writeMessageFrames,
} from '@patchline/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { openClient, type TestClient } from '../fixtures/ws-client.js';
import { releaseUrl } from './handshake.js';

/** What the server sent this client, decoded, in arrival order. */
export type Reply =
  | { kind: 'control'; message: ControlMessage }
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'other'; message: Uint8Array };

/**
 * A client that speaks the wire protocol by hand, so a test can send what no well-behaved
 * client would. `nextReply` skips what other connections cause (their awareness and their
 * updates, which the server broadcasts to every connection of the release) and returns what
 * the server said to this connection.
 */
export interface RawClient extends TestClient {
  /** Sends one text frame as is. */
  sendFrame(text: string): void;
  /** Sends one y-protocols message as the wire codec frames it (base64, chunked above 32 KB). */
  sendMessage(message: Uint8Array, limits?: { maxMessageBytes?: number }): void;
  nextReply(): Promise<Reply>;
  /**
   * Sends sync step 1 and asserts that the very next reply is its step 2, then the server's
   * step 1: the connection is still served and nothing else was queued before the answer.
   */
  expectServed(stateVector?: Uint8Array): Promise<{ update: Uint8Array }>;
}

export async function openRawClient(url: string, releaseId: string, token: string): Promise<RawClient> {
  const client = await openClient(releaseUrl(url, { doc: releaseId, token }));
  const assembler = new MessageAssembler();
  // A reply that will never come fails the test with the close code, not with a timeout.
  const closedEarly = client.closed.then(({ code, reason }) => {
    throw new Error(`the server closed the socket (${code} ${reason}) before replying`);
  });
  closedEarly.catch(() => undefined);
  const sendFrame = (text: string) => client.ws.send(text);
  const sendMessage: RawClient['sendMessage'] = (message, limits = {}) => {
    for (const frame of writeMessageFrames(message, limits)) sendFrame(frame);
  };
  const nextReply = async (): Promise<Reply> => {
    for (;;) {
      const received = assembler.receive(await Promise.race([client.next(), closedEarly]));
      if (received.kind === 'control') return { kind: 'control', message: received.message };
      if (received.kind !== 'message') continue;
      const reply = readReply(received.message);
      if (reply) return reply;
    }
  };
  const expectServed: RawClient['expectServed'] = async (stateVector = new Uint8Array([0])) => {
    sendMessage(writeSyncStep1(stateVector));
    const step2 = await nextReply();
    if (step2.kind !== 'sync-step2') throw new Error(`expected sync step 2, got ${describeReply(step2)}`);
    const step1 = await nextReply();
    if (step1.kind !== 'sync-step1') throw new Error(`expected sync step 1, got ${describeReply(step1)}`);
    return { update: step2.update };
  };
  return { ...client, sendFrame, sendMessage, nextReply, expectServed };
}

/** Null for messages this connection did not ask for: awareness and others' updates. */
function readReply(message: Uint8Array): Reply | null {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.awareness) return null;
  if (type !== MessageType.sync) return { kind: 'other', message };
  const sub = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (sub === SyncMessageType.step1) return { kind: 'sync-step1', stateVector: payload };
  if (sub === SyncMessageType.step2) return { kind: 'sync-step2', update: payload };
  return null;
}

export function describeReply(reply: Reply): string {
  return reply.kind === 'control' ? JSON.stringify(reply.message) : reply.kind;
}

/** `varUint(sync) • varUint(step1) • varUint8Array(stateVector)`. */
export function writeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return writeSyncMessage(SyncMessageType.step1, stateVector);
}

/** `varUint(sync) • varUint(update) • varUint8Array(update)`. */
export function writeSyncUpdate(update: Uint8Array): Uint8Array {
  return writeSyncMessage(SyncMessageType.update, update);
}

function writeSyncMessage(sub: SyncMessageType, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** `varUint(awareness) • varUint8Array(update)`, with `update` taken as given. */
export function writeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A y-protocols awareness update with the given entries; `state` is sent as written. */
export function writeAwarenessUpdate(
  entries: { clientId: number; clock: number; state: string }[],
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}
