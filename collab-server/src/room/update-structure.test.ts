import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hasMissingDependencies, newWriters, readUpdateStructure } from './update-structure.js';

const stateOf = (doc: Y.Doc) => (client: number) => Y.getState(doc.store, client);

/** An update made only of one GC struct: `length` clocks of `client` from `clock`, no content. */
export function gcClaim(client: number, clock: number, length: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // one client
  encoding.writeVarUint(encoder, 1); // one struct
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  encoding.writeUint8(encoder, 0); // info 0: GC
  encoding.writeVarUint(encoder, length);
  encoding.writeVarUint(encoder, 0); // empty delete set
  return encoding.toUint8Array(encoder);
}

function editsOf(doc: Y.Doc, edit: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  edit();
  return Y.encodeStateAsUpdate(doc, before);
}

describe('update structure', () => {
  it('finds a gap in a client run and an origin the document lacks', () => {
    const writer = new Y.Doc();
    const first = editsOf(writer, () => writer.getText('t').insert(0, 'abc'));
    const second = editsOf(writer, () => writer.getText('t').insert(3, 'def'));
    const empty = new Y.Doc();
    expect(hasMissingDependencies(readUpdateStructure(second), stateOf(empty))).toBe(true);
    expect(hasMissingDependencies(readUpdateStructure(first), stateOf(empty))).toBe(false);
    Y.applyUpdate(empty, first);
    expect(hasMissingDependencies(readUpdateStructure(second), stateOf(empty))).toBe(false);
  });

  it('finds an insertion next to another client item the document lacks', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const base = editsOf(a, () => a.getText('t').insert(0, 'abc'));
    Y.applyUpdate(b, base);
    const onTop = editsOf(b, () => b.getText('t').insert(1, 'X'));
    const server = new Y.Doc();
    expect(hasMissingDependencies(readUpdateStructure(onTop), stateOf(server))).toBe(true);
    Y.applyUpdate(server, base);
    expect(hasMissingDependencies(readUpdateStructure(onTop), stateOf(server))).toBe(false);
  });

  it('finds a deletion of something the document lacks', () => {
    const a = new Y.Doc();
    const base = editsOf(a, () => a.getText('t').insert(0, 'abc'));
    const deletion = editsOf(a, () => a.getText('t').delete(0, 2));
    expect(hasMissingDependencies(readUpdateStructure(deletion), () => 0)).toBe(true);
    const server = new Y.Doc();
    Y.applyUpdate(server, base);
    expect(hasMissingDependencies(readUpdateStructure(deletion), stateOf(server))).toBe(false);
  });

  it('names the writers of new structs, and whether they claim clocks without content', () => {
    const a = new Y.Doc();
    const update = editsOf(a, () => a.getMap('m').set('k', 'v'));
    const server = new Y.Doc();
    expect(newWriters(readUpdateStructure(update), stateOf(server))).toEqual([
      { clientId: a.clientID, isKnown: false, claimsClocks: false, writesContent: true },
    ]);
    Y.applyUpdate(server, update);
    expect(newWriters(readUpdateStructure(update), stateOf(server))).toEqual([]);
    expect(newWriters(readUpdateStructure(gcClaim(a.clientID, 1, 50)), stateOf(server))).toEqual([
      { clientId: a.clientID, isKnown: true, claimsClocks: true, writesContent: false },
    ]);
  });

  it('refuses bytes Yjs cannot read and a client listed twice', () => {
    expect(() => readUpdateStructure(new Uint8Array([1, 2, 3]))).toThrow();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 2);
    for (const clock of [0, 10]) {
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint(encoder, 7);
      encoding.writeVarUint(encoder, clock);
      encoding.writeUint8(encoder, 0);
      encoding.writeVarUint(encoder, 5);
    }
    encoding.writeVarUint(encoder, 0);
    expect(() => readUpdateStructure(encoding.toUint8Array(encoder))).toThrow(/twice/);
  });
});
