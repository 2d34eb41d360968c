/**
 * y-protocols / y-websocket message types: the first varint of every data message. Patchline
 * sends these unchanged (as base64), so any Yjs client with a base64 shim can talk to it.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sync sub-messages (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/**
 * The message type of a data message, or null when its first byte is not one we know. All
 * known types are below 128, so they are one-byte varints.
 */
export function peekMessageType(message: Uint8Array): MessageType | null {
  const first = message[0];
  return first !== undefined && first <= MessageType.queryAwareness ? (first as MessageType) : null;
}
