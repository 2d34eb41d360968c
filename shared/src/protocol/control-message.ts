import { z } from 'zod';
import { ProtocolError, ProtocolErrorReason } from './errors.js';

/**
 * App-level control messages, sent server → client as JSON text frames. JSON starts with `{`,
 * which is not a base64 symbol, so a control frame is never mistaken for data (P8).
 */
export const controlMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('error'), code: z.string().min(1).max(64), message: z.string().max(2000) }),
  z.object({
    type: z.literal('rejected'),
    /** Field paths that were not allowed (`release.upc`, `tracks.<id>.isrc`). */
    fields: z.array(z.string().max(200)).max(100),
    reason: z.string().min(1).max(64),
    message: z.string().max(2000),
  }),
  z.object({
    type: z.literal('role-changed'),
    role: z.enum(['owner', 'editor', 'viewer']),
    message: z.string().max(2000),
  }),
  z.object({ type: z.literal('revoked'), message: z.string().max(2000) }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;
export type ControlMessageType = ControlMessage['type'];

export function writeControlMessage(message: ControlMessage): string {
  return JSON.stringify(controlMessageSchema.parse(message));
}

export function readControlMessage(text: string): ControlMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError(ProtocolErrorReason.badControlMessage, 'control frame is not valid JSON');
  }
  const parsed = controlMessageSchema.safeParse(value);
  if (!parsed.success) {
    throw new ProtocolError(
      ProtocolErrorReason.badControlMessage,
      `control frame has the wrong shape: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}
