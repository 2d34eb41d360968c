import {
  addCredit,
  addSplit,
  addTrack,
  createSheet,
  moveTrack,
  orderedTrackIds,
  type ReleaseStatus,
  removeTrack,
  replaceNotesText,
  setReleaseField,
  setTrackField,
} from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { authorizeUpdate } from './authorize-update.js';
import { defineAbilityFor } from './define-ability-for.js';
import type { ReleaseRole } from './roles.js';

const RELEASE_ID = 'rel-1';

function storedSheet(status: ReleaseStatus = 'draft'): Y.Doc {
  return createSheet({
    release: { title: 'Night Drive', status },
    tracks: [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }],
  });
}

/** Runs `change` on a replica of `stored` and returns it as one update. */
function updateFrom(stored: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(stored));
  const before = Y.encodeStateVector(replica);
  change(replica);
  return Y.encodeStateAsUpdate(replica, before);
}

const editorOf = (releaseId: string, role: ReleaseRole = 'editor') =>
  defineAbilityFor({ sub: 'u1', groups: [] }, [{ releaseId, role }]);
const manager = defineAbilityFor({ sub: 'm1', groups: ['managers'] });
const admin = defineAbilityFor({ sub: 'a1', groups: ['admins'] });

/** Edits an owner or editor may make: every kind of team change. */
type Edit = (doc: Y.Doc) => void;
const applyAll = (doc: Y.Doc, edits: Edit[]) => {
  for (const edit of edits) edit(doc);
};
const pick = (doc: Y.Doc, i: number) => orderedTrackIds(doc)[i % Math.max(1, orderedTrackIds(doc).length)];
const teamEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.string({ maxLength: 40 }).map((title) => (doc: Y.Doc) => setReleaseField(doc, 'title', title)),
  fc
    .constantFrom('Album', 'EP', 'Single', 'Compilation' as const)
    .map((t) => (doc: Y.Doc) => setReleaseField(doc, 'releaseType', t)),
  fc
    .constantFrom(['Worldwide'], ['US', 'GB'])
    .map((codes) => (doc: Y.Doc) => setReleaseField(doc, 'territories', [...codes])),
  fc.string({ maxLength: 20 }).map((title) => (doc: Y.Doc) => void addTrack(doc, { title })),
  fc.nat().map((i) => (doc: Y.Doc) => {
    const id = pick(doc, i);
    if (id) removeTrack(doc, id);
  }),
  fc.tuple(fc.nat(), fc.nat(5)).map(([i, to]) => (doc: Y.Doc) => {
    const id = pick(doc, i);
    if (id) moveTrack(doc, id, to);
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 12 })).map(([i, isrc]) => (doc: Y.Doc) => {
    const id = pick(doc, i);
    if (id) setTrackField(doc, id, 'isrc', isrc);
  }),
  fc.tuple(fc.nat(), fc.boolean()).map(([i, explicit]) => (doc: Y.Doc) => {
    const id = pick(doc, i);
    if (id) setTrackField(doc, id, 'explicit', explicit);
  }),
  fc.nat().map((i) => (doc: Y.Doc) => {
    const id = pick(doc, i);
    if (id) addCredit(doc, id, { name: 'Ada', role: 'Producer' });
  }),
  fc.tuple(fc.nat(), fc.double({ min: 0, max: 100, noNaN: true })).map(([i, share]) => (doc: Y.Doc) => {
    const id = pick(doc, i);
    if (id) addSplit(doc, id, { party: 'Ada', role: 'Writer', share });
  }),
  fc.string({ maxLength: 60 }).map((text) => (doc: Y.Doc) => replaceNotesText(doc, text)),
);
const labelField = fc.constantFrom('upc', 'catalogNumber', 'label', 'pLine', 'cLine' as const);
const labelEdit = fc
  .tuple(labelField, fc.string({ minLength: 1, maxLength: 20 }))
  .map(([field, value]) => ({ field, edit: (doc: Y.Doc) => setReleaseField(doc, field, `x${value}`) }));

describe(authorizeUpdate.name, () => {
  it('AB20 property: any batch of team edits by an editor of a draft is allowed', () => {
    fc.assert(
      fc.property(fc.array(teamEdit, { minLength: 1, maxLength: 6 }), (edits) => {
        const stored = storedSheet();
        const update = updateFrom(stored, (doc) => doc.transact(() => applyAll(doc, edits)));
        const verdict = authorizeUpdate(editorOf(RELEASE_ID), stored, update, RELEASE_ID);
        expect(verdict).toMatchObject({ allowed: true });
        for (const path of verdict.paths)
          expect(path).toMatch(
            /^(release\.(title|releaseType|territories)|tracks\.[a-z0-9]+(\.\w+)?|notes)$/,
          );
      }),
      { numRuns: 150 },
    );
  });

  it('AB21 property: a batch touching any label field is refused as a whole for an editor, allowed for a manager', () => {
    fc.assert(
      fc.property(
        fc.array(teamEdit, { maxLength: 4 }),
        labelEdit,
        fc.array(teamEdit, { maxLength: 4 }),
        (before, label, after) => {
          const stored = storedSheet();
          const update = updateFrom(stored, (doc) =>
            doc.transact(() => {
              applyAll(doc, before);
              label.edit(doc);
              applyAll(doc, after);
            }),
          );
          const refused = authorizeUpdate(editorOf(RELEASE_ID, 'owner'), stored, update, RELEASE_ID);
          expect(refused).toMatchObject({
            allowed: false,
            reason: 'forbidden-field',
            paths: [`release.${label.field}`],
          });
          expect(authorizeUpdate(manager, stored, update, RELEASE_ID)).toMatchObject({ allowed: true });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('AB22 property: a viewer is refused any write', () => {
    fc.assert(
      fc.property(teamEdit, (edit) => {
        const stored = storedSheet();
        const update = updateFrom(stored, edit);
        // An edit that changes nothing (same value again) encodes as the empty update [0, 0].
        fc.pre(update.length > 2);
        const verdict = authorizeUpdate(editorOf(RELEASE_ID, 'viewer'), stored, update, RELEASE_ID);
        expect(verdict).toMatchObject({ allowed: false, reason: 'read-only' });
      }),
      { numRuns: 100 },
    );
  });

  it('AB17: editors cannot write an approved or in-review sheet; managers can write in review only', () => {
    for (const status of ['in_review', 'approved', 'delivered'] as const) {
      const stored = storedSheet(status);
      const update = updateFrom(stored, (doc) => setReleaseField(doc, 'title', 'Late change'));
      expect(authorizeUpdate(editorOf(RELEASE_ID), stored, update, RELEASE_ID)).toMatchObject({
        allowed: false,
        reason: 'read-only',
      });
      expect(authorizeUpdate(manager, stored, update, RELEASE_ID).allowed).toBe(status === 'in_review');
    }
  });

  it('AB18: nobody, not even an admin, changes the status through a document update', () => {
    const stored = storedSheet();
    const update = updateFrom(stored, (doc) => setReleaseField(doc, 'status', 'approved'));
    expect(authorizeUpdate(admin, stored, update, RELEASE_ID)).toMatchObject({
      allowed: false,
      reason: 'forbidden-field',
      paths: ['release.status'],
    });
  });

  it('AB23: a grant on one release gives nothing on another (IDOR)', () => {
    const stored = storedSheet();
    const update = updateFrom(stored, (doc) => setReleaseField(doc, 'title', 'Hijack'));
    expect(authorizeUpdate(editorOf('rel-other', 'owner'), stored, update, RELEASE_ID)).toMatchObject({
      allowed: false,
      reason: 'read-only',
    });
  });

  it('refuses values of the wrong type and content outside the layout', () => {
    const stored = storedSheet();
    const cases: Array<[Edit, string]> = [
      [(doc) => doc.getMap('release').set('title', 42), 'invalid-value'],
      [(doc) => doc.getMap('tracks').set('bad.id', new Y.Map()), 'invalid-value'],
      [
        (doc) =>
          (doc.getMap('tracks').get(orderedTrackIds(doc)[0]!) as Y.Map<unknown>).set('unknownField', 'x'),
        'invalid-value',
      ],
      [(doc) => doc.getMap('meta').set('schemaVersion', 99), 'forbidden-field'],
      [(doc) => doc.getArray('elsewhere').insert(0, ['x']), 'forbidden-field'],
    ];
    for (const [edit, reason] of cases) {
      expect(authorizeUpdate(manager, stored, updateFrom(stored, edit), RELEASE_ID)).toMatchObject({
        allowed: false,
        reason,
      });
    }
  });

  it('refuses undecodable updates with a typed reason and changes nothing', () => {
    const stored = storedSheet();
    const before = Y.encodeStateAsUpdate(stored);
    const verdict = authorizeUpdate(manager, stored, new Uint8Array([0, 9, 9, 9, 9, 250]), RELEASE_ID);
    expect(verdict).toMatchObject({ allowed: false, reason: 'undecodable-update' });
    expect(Y.encodeStateAsUpdate(stored)).toEqual(before);
  });
});
