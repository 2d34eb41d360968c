import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's entry in a y-protocols awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** JSON text of the state; `null` means the client left. */
  state: string;
}

/**
 * Decodes an awareness update fully before anything is stored: every entry must
 * parse, and every state must be a JSON object or null. Throws on anything else.
 */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count === 0 || count > 64) throw new Error(`awareness update with ${count} entries`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    const parsed: unknown = JSON.parse(state);
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed)))
      throw new Error('awareness state is not an object');
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness entries');
  return entries;
}

export function writeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

/** The update that tells peers a client left: its state set to null one clock later. */
export function awarenessRemoval(entry: AwarenessEntry): Uint8Array {
  return writeAwarenessEntries([{ clientId: entry.clientId, clock: entry.clock + 1, state: 'null' }]);
}

/**
 * Awareness updates folded into one: each client's entry with the highest clock (the one
 * y-protocols would keep), so a backlog of presence changes goes out as one message.
 */
export function mergeAwarenessUpdates(updates: readonly Uint8Array[]): Uint8Array {
  const latest = new Map<number, AwarenessEntry>();
  for (const update of updates) {
    for (const entry of readAwarenessEntries(update)) {
      const known = latest.get(entry.clientId);
      if (!known || entry.clock >= known.clock) latest.set(entry.clientId, entry);
    }
  }
  return writeAwarenessEntries([...latest.values()]);
}
