import { colorForUser, DOC_ROOTS } from '@patchline/shared';
import { z } from 'zod';

/**
 * What a client may say about itself in awareness (PROTOCOL.md, "Presence"). Every peer's
 * editor reads it, so it is checked here once, before anything is stored or relayed: a cursor
 * y-prosemirror cannot read throws inside every peer's notes editor.
 */

/** A Yjs `ID`: the client's id is a uint32 (`doc.clientID`), the clock a safe integer. */
const yjsIdSchema = z.object({
  client: z.number().int().min(0).max(0xffff_ffff),
  clock: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/**
 * A `Y.RelativePosition` as JSON (`relativePositionToJSON`, or the object itself stringified).
 * Yjs resolves a position by its item, else its root type's name, else its type's id, and throws
 * when all three are missing, so one must be there. `tname` names a root type, which resolving
 * creates in the reader's document if it is not there: the caret lives in the notes, so only
 * theirs is accepted.
 */
const relativePositionSchema = z
  .object({
    type: yjsIdSchema.nullish(),
    tname: z.literal(DOC_ROOTS.notes).nullish(),
    item: yjsIdSchema.nullish(),
    assoc: z.number().int(),
  })
  .refine((position) => position.item != null || position.tname != null || position.type != null, {
    message: 'a relative position needs an item, a root type name or a type id',
  });

/** Tiptap's CollaborationCaret: a selection in the notes, or null when it is elsewhere. */
const cursorSchema = z.object({ anchor: relativePositionSchema, head: relativePositionSchema });

const NAME = '[A-Za-z][A-Za-z0-9]{0,63}';
const ID = '[0-9A-Za-z_-]{1,64}';
/**
 * Field paths as the sheet names its inputs: `notes`, `release.<field>`, `tracks.<id>.<field>`,
 * and a credit or split entry's `tracks.<id>.<list>.<entryId>.<field>`.
 */
const FIELD_PATH = new RegExp(
  `^(?:notes|release\\.${NAME}|tracks\\.${ID}\\.${NAME}(?:\\.${ID}\\.${NAME})?)$`,
);
export const MAX_FIELD_PATH_LENGTH = 200;

/** The parts of a presence state a client chooses; anything else it sends is dropped. */
export const presenceStateSchema = z.object({
  field: z.string().max(MAX_FIELD_PATH_LENGTH).regex(FIELD_PATH, 'not a field path').nullish(),
  cursor: cursorSchema.nullish(),
});

/** Who sent a state, as verified at `$connect` (the connection record). */
export interface PresenceSender {
  userId: string;
  name: string;
}

/**
 * The JSON text of the state the server stores and relays for `state` (JSON text, as it came in
 * an awareness entry): `user` set from the sender's verified identity, whatever the client sent,
 * `field` and `cursor` checked, unknown keys dropped. The null state (a client leaving) passes as
 * it is. Throws, with what was wrong, on a state over `maxBytes` or one the schema refuses.
 */
export function sanitizePresenceState(state: string, sender: PresenceSender, maxBytes: number): string {
  if (Buffer.byteLength(state, 'utf8') > maxBytes) throw new Error(`awareness state over ${maxBytes} bytes`);
  const value: unknown = JSON.parse(state);
  if (value === null) return 'null';
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('awareness state is not an object');
  const parsed = presenceStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`awareness state ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { field, cursor } = parsed.data;
  const user = { sub: sender.userId, name: sender.name, color: colorForUser(sender.userId) };
  return JSON.stringify({ user, field: field ?? null, ...(cursor !== undefined ? { cursor } : {}) });
}
