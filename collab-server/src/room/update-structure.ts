import * as Y from 'yjs';

/** The clock range one client's structs cover in an update, and what kinds they are. */
interface ClientStructs {
  /** First clock carried. */
  start: number;
  /** One past the last clock carried. */
  end: number;
  /** One past the last clock covered by a `GC` or `Skip` struct (0 when none). */
  gcOrSkipEnd: number;
  /** One past the last clock covered by an `Item` (content) struct (0 when none). */
  itemEnd: number;
  /** Clock where the first `Skip` struct starts: nothing from there on can be placed. */
  firstSkip: number;
}

/**
 * What an update is made of, read once in O(size of the update) before it touches a document:
 * the clock range of each client's structs, every id its structs point at (origins and
 * parents), and its delete set. PROTOCOL.md ("Client ids") says how the room uses it.
 */
export interface UpdateStructure {
  clients: ReadonlyMap<number, ClientStructs>;
  references: ReadonlyArray<{ client: number; clock: number }>;
  deletes: ReadonlyArray<{ client: number; clock: number; len: number }>;
}

export class MalformedUpdateError extends Error {}

/** Decodes `update` (Yjs v1) fully; throws `MalformedUpdateError` on anything Yjs could not read. */
export function readUpdateStructure(update: Uint8Array): UpdateStructure {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    throw new MalformedUpdateError(`Yjs update could not be decoded: ${(error as Error).message}`);
  }
  const clients = new Map<number, ClientStructs>();
  const references: Array<{ client: number; clock: number }> = [];
  let previous: Y.Item | Y.GC | Y.Skip | null = null;
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const isContinuation =
      previous !== null && previous.id.client === client && previous.id.clock + previous.length === clock;
    let entry = clients.get(client);
    if (!isContinuation) {
      // Yjs writes each client's structs as one run; a second run of one client would make
      // Yjs keep only one of them, so what it stores would differ from what was inspected.
      if (entry) throw new MalformedUpdateError(`client ${client} appears twice in one update`);
      entry = { start: clock, end: clock, gcOrSkipEnd: 0, itemEnd: 0, firstSkip: Infinity };
      clients.set(client, entry);
    }
    entry = entry!;
    entry.end = clock + struct.length;
    if (struct instanceof Y.Item) {
      entry.itemEnd = clock + struct.length;
      if (struct.origin) references.push(struct.origin);
      if (struct.rightOrigin) references.push(struct.rightOrigin);
      if (struct.parent instanceof Y.ID) references.push(struct.parent);
    } else {
      entry.gcOrSkipEnd = clock + struct.length;
      if (struct instanceof Y.Skip) entry.firstSkip = Math.min(entry.firstSkip, clock);
    }
    previous = struct;
  }
  const deletes: Array<{ client: number; clock: number; len: number }> = [];
  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) deletes.push({ client, clock: range.clock, len: range.len });
  }
  return { clients, references, deletes };
}

/** A document's next clock for a client (`Y.getState`): what it has of that client. */
export type ClockOf = (client: number) => number;

/** Per client, the clocks a document at `state` would know once this update is applied. */
function knownAfter(structure: UpdateStructure, state: ClockOf): ClockOf {
  const known = new Map<number, number>();
  for (const [client, structs] of structure.clients) {
    const have = state(client);
    // A run starting past what the document has leaves a gap: none of it can be placed.
    if (structs.start <= have) known.set(client, Math.max(have, Math.min(structs.end, structs.firstSkip)));
  }
  return (client) => known.get(client) ?? state(client);
}

/**
 * Whether applying the update to a document with state vector `state` would leave anything
 * pending (structs or deletions whose dependencies the document lacks). Yjs would keep those
 * aside and integrate them later inside some other transaction, attributed to someone else, so
 * the room never applies such an update (PROTOCOL.md, "Out of order").
 */
export function hasMissingDependencies(structure: UpdateStructure, state: ClockOf): boolean {
  const known = knownAfter(structure, state);
  for (const [client, structs] of structure.clients) {
    if (known(client) < structs.end) return true;
  }
  for (const ref of structure.references) if (known(ref.client) <= ref.clock) return true;
  for (const del of structure.deletes) if (known(del.client) < del.clock + del.len) return true;
  return false;
}

/** A client whose structs in the update are (partly) new to a document at `state`. */
export interface NewWriter {
  clientId: number;
  /** Whether the document has anything of this client yet. */
  isKnown: boolean;
  /** Whether a new part is a `GC` or `Skip` struct (content-free clock claims). */
  claimsClocks: boolean;
  /** Whether a new part is an `Item`: content someone wrote under this id. */
  writesContent: boolean;
}

/** The clients that would write new structs into a document at `state`. */
export function newWriters(structure: UpdateStructure, state: ClockOf): NewWriter[] {
  const writers: NewWriter[] = [];
  for (const [clientId, structs] of structure.clients) {
    const have = state(clientId);
    if (structs.end <= have) continue; // everything already known: Yjs drops it
    writers.push({
      clientId,
      isKnown: have > 0,
      claimsClocks: structs.gcOrSkipEnd > have,
      writesContent: structs.itemEnd > have,
    });
  }
  return writers;
}
