import { colorForUser, notesFragment, replaceNotesText } from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_COLLAB_LIMITS } from './limits.js';
import { MAX_FIELD_PATH_LENGTH, sanitizePresenceState } from './presence-state.js';

const sender = { userId: 'u-eli', name: 'Eli Editor' };
const eli = { sub: 'u-eli', name: 'Eli Editor', color: colorForUser('u-eli') };
const maxBytes = DEFAULT_COLLAB_LIMITS.maxAwarenessBytes;

/** The state the server would store and relay for `state`, parsed back. */
const sanitize = (state: unknown): unknown =>
  JSON.parse(sanitizePresenceState(JSON.stringify(state), sender, maxBytes));

/** A release's notes as Tiptap holds them: paragraphs of XmlText. */
function notesDoc(): Y.Doc {
  const doc = new Y.Doc();
  replaceNotesText(doc, 'Mastered at Abbey Road\nStems in the shared folder');
  return doc;
}

/**
 * What y-prosemirror's cursor plugin (under Tiptap's CollaborationCaret) does with a peer's
 * cursor on every awareness change: reads both ends as RelativePosition JSON and resolves them
 * in the document, keeping those inside the notes.
 */
function drawCaret(cursor: { anchor: unknown; head: unknown }, doc: Y.Doc): void {
  for (const end of [cursor.anchor, cursor.head]) {
    const absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(end), doc);
    if (absolute && absolute.type !== notesFragment(doc))
      Y.isParentOf(notesFragment(doc), absolute.type._item);
  }
}

/** Positions CollaborationCaret publishes: the RelativePosition object itself, stringified. */
function publishedPositions(doc: Y.Doc): unknown[] {
  const notes = notesFragment(doc);
  const paragraph = notes.get(0) as Y.XmlElement;
  const text = paragraph.get(0) as Y.XmlText;
  const positions = [
    Y.createRelativePositionFromTypeIndex(notes, 0), // an item
    Y.createRelativePositionFromTypeIndex(notes, notes.length), // the end of a root: `tname`
    Y.createRelativePositionFromTypeIndex(paragraph, paragraph.length), // the end of a nested type: `type`
    Y.createRelativePositionFromTypeIndex(text, 3, -1),
  ];
  return [
    ...positions.map((position) => JSON.parse(JSON.stringify(position))),
    ...positions.map((position) => Y.relativePositionToJSON(position)),
  ];
}

describe(sanitizePresenceState.name, () => {
  it('shows the verified sender as the user, whatever the client claims', () => {
    const claims = [
      { user: { sub: 'u-mo', name: 'Mo Manager', color: '#000000' }, field: null },
      { user: { name: 'Someone else' }, field: null },
      { user: 'admin', field: null },
      { field: null },
      {},
    ];
    for (const claim of claims)
      expect(sanitize(claim), JSON.stringify(claim)).toEqual({ user: eli, field: null });
  });

  it('keeps the field paths the sheet uses; no field is null', () => {
    const paths = [
      'notes',
      'release.title',
      'release.originalReleaseDate',
      'tracks.k3j9x0a1b2c3.isrc',
      'tracks.k3j9x0a1b2c3.credits.q8w7e6r5t4.name',
      `release.${'a'.repeat(63)}`,
    ];
    for (const field of paths) expect(sanitize({ field })).toEqual({ user: eli, field });
    expect(sanitize({ field: null })).toEqual({ user: eli, field: null });
  });

  it('refuses a field that is not a field path', () => {
    const fields = [
      '',
      'x'.repeat(MAX_FIELD_PATH_LENGTH + 1),
      `tracks.${'a'.repeat(64)}.credits.${'b'.repeat(64)}.${'c'.repeat(64)}`, // each part fits, the path does not
      'release.',
      'release.title"><img src=x onerror=alert(1)>',
      'release.title.extra',
      'tracks.abc',
      'tracks.a.b.c',
      'meta.schemaVersion',
      'notes ',
      42,
      { path: 'notes' },
    ];
    for (const field of fields) expect(() => sanitize({ field }), JSON.stringify(field)).toThrow(/field/);
  });

  it('keeps the cursors CollaborationCaret publishes, as they were sent', () => {
    const doc = notesDoc();
    const positions = publishedPositions(doc);
    for (const anchor of positions) {
      for (const head of positions) {
        const cursor = { anchor, head };
        expect(sanitize({ field: 'notes', cursor })).toEqual({ user: eli, field: 'notes', cursor });
        drawCaret(cursor, doc);
      }
    }
    expect(sanitize({ field: null, cursor: null })).toEqual({ user: eli, field: null, cursor: null });
  });

  it('refuses {"cursor": {}} and every other cursor y-prosemirror cannot read', () => {
    const doc = notesDoc();
    const [position] = publishedPositions(doc);
    const unreadable = [
      {},
      { anchor: position },
      { anchor: {}, head: {} },
      { anchor: { assoc: 0 }, head: { assoc: 0 } }, // nothing to resolve: Yjs throws
      { anchor: null, head: null },
    ];
    for (const cursor of unreadable) {
      // The attack: each of these throws inside every peer's notes editor.
      expect(() => drawCaret(cursor as { anchor: unknown; head: unknown }, doc)).toThrow();
      expect(() => sanitize({ cursor }), JSON.stringify(cursor)).toThrow(/cursor/);
    }
    const malformed = [
      'here',
      [position, position],
      { anchor: { item: { client: -1, clock: 0 }, assoc: 0 }, head: position },
      { anchor: { item: { client: 2 ** 32, clock: 0 }, assoc: 0 }, head: position },
      { anchor: { item: { client: 1, clock: 0.5 }, assoc: 0 }, head: position },
      { anchor: { item: { client: 1 }, assoc: 0 }, head: position },
      { anchor: { type: 'notes', assoc: 0 }, head: position },
      { anchor: { tname: 'notes' }, head: position }, // no assoc
      { anchor: { tname: 'notes', assoc: 1.5 }, head: position },
      { anchor: { tname: 'backdoor', assoc: 0 }, head: position }, // would create a root in every peer's doc
      { anchor: { tname: 'release', assoc: 0 }, head: position }, // a root, but no caret lives there
    ];
    for (const cursor of malformed)
      expect(() => sanitize({ cursor }), JSON.stringify(cursor)).toThrow(/cursor/);
  });

  it('every cursor it accepts, a peer can draw, without new root types in its document', () => {
    const doc = notesDoc();
    const roots = [...doc.share.keys()];
    // Mostly well-formed pieces, so that accepted cursors are common and their corners (every
    // part null, ids the document lacks, odd roots) come up; junk in between.
    const junk = fc.anything();
    const id = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({ client: fc.constantFrom(doc.clientID, 0, 2 ** 32 - 1), clock: fc.nat(40) }),
      },
      {
        weight: 1,
        arbitrary: fc.record(
          { client: fc.integer(), clock: fc.oneof(fc.integer(), fc.string()) },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: junk },
    );
    const part = <T>(arbitrary: fc.Arbitrary<T>) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 6, arbitrary },
        { weight: 1, arbitrary: junk },
      );
    const position = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record(
          {
            type: part(id),
            tname: part(
              fc.oneof(
                { weight: 3, arbitrary: fc.constant('notes') },
                { weight: 1, arbitrary: fc.constantFrom('release', 'meta', 'other') },
              ),
            ),
            item: part(id),
            assoc: fc.oneof(
              { weight: 9, arbitrary: fc.integer({ min: -2, max: 2 }) },
              { weight: 1, arbitrary: junk },
            ),
          },
          { requiredKeys: ['assoc'] },
        ),
      },
      { weight: 1, arbitrary: junk },
    );
    const cursor = fc.oneof(
      { weight: 6, arbitrary: fc.record({ anchor: position, head: position }) },
      { weight: 1, arbitrary: fc.record({ anchor: position, head: position }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: junk },
    );
    let drawn = 0;
    fc.assert(
      fc.property(cursor, (sent) => {
        let stored: { cursor?: { anchor: unknown; head: unknown } | null };
        try {
          stored = sanitize({ cursor: sent }) as typeof stored;
        } catch {
          return; // refused: nobody sees it
        }
        if (!stored.cursor) return;
        drawCaret(stored.cursor, doc);
        drawn += 1;
      }),
      { numRuns: 2000 },
    );
    expect(drawn).toBeGreaterThan(80); // about 8% of runs
    expect([...doc.share.keys()]).toEqual(roots);
  });

  it('drops unknown keys, at every level', () => {
    const [position] = publishedPositions(notesDoc()) as Record<string, unknown>[];
    const sent = JSON.stringify({
      field: 'notes',
      cursor: { anchor: { ...position, extra: 1 }, head: position, extra: 2 },
      role: 'owner',
      nested: { deep: 'x' },
    }).replace(/^\{/, '{"__proto__":{"polluted":true},');
    expect(JSON.parse(sanitizePresenceState(sent, sender, maxBytes))).toEqual({
      user: eli,
      field: 'notes',
      cursor: { anchor: position, head: position },
    });
  });

  it('lets the null state (a client leaving) through as it is', () => {
    expect(sanitizePresenceState('null', sender, maxBytes)).toBe('null');
  });

  it('refuses states over the byte limit, and what is not a JSON object', () => {
    const big = JSON.stringify({ field: null, pad: 'é'.repeat(maxBytes / 2) }); // fits in UTF-16 units, not in bytes
    expect(big.length).toBeLessThan(maxBytes);
    expect(() => sanitizePresenceState(big, sender, maxBytes)).toThrow(/bytes/);
    for (const state of ['[1,2]', '"cursor"', '3', 'true', '{"field":', ''])
      expect(() => sanitizePresenceState(state, sender, maxBytes), state).toThrow();
  });
});
