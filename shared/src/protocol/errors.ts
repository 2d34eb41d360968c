/** Why a frame or message was refused (PROTOCOL.md rule ids in brackets). */
export const ProtocolErrorReason = {
  emptyFrame: 'empty-frame', // P2
  frameTooLarge: 'frame-too-large', // P1
  badBase64: 'bad-base64', // P3
  badChunkHeader: 'bad-chunk-header', // P4
  chunkConflict: 'chunk-conflict', // P5
  messageTooLarge: 'message-too-large', // P6
  tooManyPendingMessages: 'too-many-pending-messages', // P7
  badControlMessage: 'bad-control-message', // P8
  unknownFrame: 'unknown-frame', // P9
} as const;
export type ProtocolErrorReason = (typeof ProtocolErrorReason)[keyof typeof ProtocolErrorReason];

/** Every decode failure is one of these; codec functions throw nothing else. */
export class ProtocolError extends Error {
  constructor(
    readonly reason: ProtocolErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export const isProtocolError = (error: unknown): error is ProtocolError => error instanceof ProtocolError;
