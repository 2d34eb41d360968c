import * as Y from 'yjs';

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/**
 * Knows whether this replica holds changes the server has not stored yet ("Saving…").
 *
 * The server sends no acknowledgement per update (y-websocket's protocol has none, and handler
 * instances may process one client's frames out of order), so "saved" is decided by content:
 * every struct (state vector) and every deletion (delete set) of the local document must be
 * known to be on the server. The server's knowledge is learned from what it sends: its sync
 * step 1 carries its state vector, its sync step 2 carries everything we lacked plus its whole
 * delete set, and each broadcast update is content it stored before sending.
 * Comparing content also counts offline edits restored from IndexedDB, whatever client id
 * made them.
 *
 * The server's state vectors cover stored updates only (PROTOCOL.md, "Out of order"), so a
 * refused edit is never covered. One thing a vector alone cannot show: the server claiming more
 * clocks of this document's own client id than this document ever wrote (a clock claim stored
 * before the server refused them, PROTOCOL.md "Client ids"). The server would skip our next
 * edits at those clocks as already known, while its vector covers them. So once that is seen,
 * whatever this client id writes afterwards stays unsaved.
 */
export class SaveTracker {
  private readonly serverVector = new Map<number, number>();
  private serverDeletes: DeleteSet = Y.createDeleteSet();
  private hasHeardFromServer = false;
  /** Our own client id, and our clock when the server was seen claiming clocks beyond it. */
  private claimedOwnClocks: { client: number; from: number } | null = null;

  constructor(private readonly doc: Y.Doc) {}

  /** The server's state vector, from its sync step 1. */
  noteServerStateVector(encodedVector: Uint8Array): void {
    mergeVector(this.serverVector, Y.decodeStateVector(encodedVector));
    this.hasHeardFromServer = true;
    this.checkOwnClocks();
  }

  /** A sync step 2 or update from the server: content the server has. */
  noteServerUpdate(update: Uint8Array): void {
    const { to } = Y.parseUpdateMeta(update);
    mergeVector(this.serverVector, to);
    const { structs, ds } = Y.decodeUpdate(update);
    this.serverDeletes = Y.mergeDeleteSets([this.serverDeletes, ds, gcRangesOf(structs)]);
    this.checkOwnClocks();
  }

  /** True while the local document has structs or deletions the server is not known to have. */
  hasUnsavedChanges(): boolean {
    const localVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    if (!this.hasHeardFromServer) return localVector.size > 0;
    const claimed = this.claimedOwnClocks;
    // Yjs moves to a new client id when content under its own arrives; then the claim is moot.
    if (
      claimed &&
      claimed.client === this.doc.clientID &&
      (localVector.get(claimed.client) ?? 0) > claimed.from
    ) {
      return true;
    }
    if (!vectorCovers(this.serverVector, localVector)) return true;
    const localDeletes = Y.createDeleteSetFromStructStore(this.doc.store);
    return !deleteSetCovers(this.serverDeletes, localDeletes);
  }

  private checkOwnClocks(): void {
    const own = this.doc.clientID;
    if (this.claimedOwnClocks?.client === own) return;
    const local = Y.getState(this.doc.store, own);
    if ((this.serverVector.get(own) ?? 0) > local) this.claimedOwnClocks = { client: own, from: local };
  }
}

/**
 * GC structs of an update as deleted ranges. An edit that lands inside something already deleted
 * (someone types in a paragraph another person's edit or a restore just removed) reaches us as GC
 * structs with no delete-set entry, yet this document counts them as deleted: without this, such
 * content would read as unsaved deletions forever.
 */
function gcRangesOf(structs: ReturnType<typeof Y.decodeUpdate>['structs']): DeleteSet {
  const ranges = Y.createDeleteSet();
  for (const struct of structs) {
    if (!(struct instanceof Y.GC)) continue;
    const items = ranges.clients.get(struct.id.client) ?? [];
    items.push({ clock: struct.id.clock, len: struct.length } as (typeof items)[number]);
    ranges.clients.set(struct.id.client, items);
  }
  return ranges;
}

function mergeVector(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
  for (const [client, clock] of from) {
    if ((into.get(client) ?? 0) < clock) into.set(client, clock);
  }
}

/** Whether `outer` has every clock of `inner`. */
export function vectorCovers(
  outer: ReadonlyMap<number, number>,
  inner: ReadonlyMap<number, number>,
): boolean {
  for (const [client, clock] of inner) {
    if ((outer.get(client) ?? 0) < clock) return false;
  }
  return true;
}

/** Whether every deleted range of `inner` is deleted in `outer` (normalised by `mergeDeleteSets`). */
export function deleteSetCovers(outer: DeleteSet, inner: DeleteSet): boolean {
  for (const [client, items] of inner.clients) {
    const ranges = outer.clients.get(client) ?? [];
    for (const { clock, len } of items) {
      if (len === 0) continue;
      // `ranges` is sorted and merged, so one range must hold all of [clock, clock + len).
      const holder = ranges.find((range) => range.clock <= clock && clock < range.clock + range.len);
      if (!holder || holder.clock + holder.len < clock + len) return false;
    }
  }
  return true;
}
