import type { ReleaseStatus } from '@patchline/shared';
import {
  addTrack,
  addTrackEntry,
  notesFragment,
  orderedTrackIds,
  readSheet,
  setReleaseField,
} from '@patchline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Actors, ownedRelease, signInActors } from './support/api-actors.js';
import { openRawClient, type RawClient, writeSyncUpdate } from './support/raw-client.js';
import { connectRelease } from './support/release-client.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Every role and group × every field class × every status, each an update sent over the
 * gateway by a real connection (permissions/SPEC.md AB1–AB19, end to end): what a role may not
 * change is answered with `rejected` and never stored or relayed; what it may is stored and
 * reaches the others. The expectations are written out here from SPEC.md, not computed by the
 * permissions package under test.
 */

let stack: TestStack;
let actors: Actors;
let stop: () => Promise<void>;

beforeAll(async () => {
  const started = await startTestStack();
  stack = started.stack;
  stop = started.teardown;
  actors = await signInActors(stack);
});
afterAll(() => stop?.());

const WRITERS = ['viewer', 'editor', 'owner', 'manager', 'admin'] as const;
type Writer = (typeof WRITERS)[number];
const STATUSES: ReleaseStatus[] = ['draft', 'changes_requested', 'in_review', 'approved', 'delivered'];

/** One change per field class (AB15, AB16, AB18), made on a copy of the stored document. */
const FIELD_CLASSES = {
  team: (doc: Y.Doc, n: number) => setReleaseField(doc, 'title', `Title ${n}`),
  label: (doc: Y.Doc, n: number) => setReleaseField(doc, 'catalogNumber', `CAT-${n}`),
  workflow: (doc: Y.Doc) =>
    setReleaseField(doc, 'status', readSheet(doc).release.status === 'delivered' ? 'draft' : 'delivered'),
  notes: (doc: Y.Doc, n: number) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`Note ${n}`)]);
    notesFragment(doc).insert(0, [paragraph]);
  },
  tracks: (doc: Y.Doc, n: number) => void addTrack(doc, { title: `Track ${n}` }),
  credits: (doc: Y.Doc, n: number) =>
    void addTrackEntry(doc, orderedTrackIds(doc)[0]!, 'credits', { name: `Person ${n}`, role: 'Producer' }),
} as const;
type FieldClass = keyof typeof FIELD_CLASSES;

const TEAM_CLASSES: FieldClass[] = ['team', 'notes', 'tracks', 'credits'];
const isLabelStaff = (writer: Writer) => writer === 'manager' || writer === 'admin';

/** May `writer` change anything at all in `status` (AB2, AB4, AB11, AB17)? */
function canUpdate(writer: Writer, status: ReleaseStatus): boolean {
  if (writer === 'viewer') return false;
  if (isLabelStaff(writer)) return ['draft', 'changes_requested', 'in_review'].includes(status);
  return ['draft', 'changes_requested'].includes(status);
}

/** What the server answers: 'stored', or the `rejected` reason. */
function expected(writer: Writer, status: ReleaseStatus, fieldClass: FieldClass): string {
  if (!canUpdate(writer, status)) return 'read-only'; // AB1, AB17, AB22
  if (fieldClass === 'workflow') return 'forbidden-field'; // AB18
  if (fieldClass === 'label') return isLabelStaff(writer) ? 'stored' : 'forbidden-field'; // AB16
  return TEAM_CLASSES.includes(fieldClass) ? 'stored' : 'forbidden-field';
}

async function storedCopy(releaseId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
  return doc;
}

/** The `rejected` reasons a connection receives, in order, read by one reader for the socket's life. */
function rejectionsOf(raw: RawClient): () => Promise<string> {
  const received: string[] = [];
  let wake: (() => void) | null = null;
  void (async () => {
    for (;;) {
      const reply = await raw.nextReply().catch(() => null);
      if (!reply) return; // closed
      if (reply.kind === 'control' && reply.message.type === 'rejected') {
        received.push(reply.message.reason);
        wake?.();
      }
    }
  })();
  return async () => {
    while (received.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return received.shift()!;
  };
}

/**
 * Sends `update` from `raw` and waits for the answer: `rejected` to the sender, or the update
 * arriving at a bystander (accepted updates are stored before they are sent).
 */
async function outcomeOf(
  raw: RawClient,
  nextRejection: () => Promise<string>,
  bystander: Y.Doc,
  update: Uint8Array,
): Promise<string> {
  const arrived = new Promise<string>((resolve) => {
    const onUpdate = () => {
      bystander.off('update', onUpdate);
      resolve('stored');
    };
    bystander.on('update', onUpdate);
  });
  raw.sendMessage(writeSyncUpdate(update));
  return Promise.race([arrived, nextRejection()]);
}

describe('WebSocket authorization matrix (SPEC.md AB1–AB19 end to end)', () => {
  for (const status of STATUSES) {
    it(`every writer × every field class while ${status}`, async () => {
      const releaseId = await ownedRelease(stack, actors, { status, title: `Matrix ${status}` });
      // A label admin's replica as the bystander: it receives whatever is stored.
      const bystander = connectRelease(stack.config.websocketUrl, releaseId, actors.token.admin);
      await bystander.whenSynced();
      const actual: Record<string, string> = {};
      const wanted: Record<string, string> = {};
      let n = 0;
      for (const writer of WRITERS) {
        const raw = await openRawClient(stack.config.websocketUrl, releaseId, actors.token[writer]);
        await raw.expectServed();
        const nextRejection = rejectionsOf(raw);
        for (const fieldClass of Object.keys(FIELD_CLASSES) as FieldClass[]) {
          const doc = await storedCopy(releaseId);
          const vector = Y.encodeStateVector(doc);
          FIELD_CLASSES[fieldClass](doc, n++);
          const update = Y.encodeStateAsUpdate(doc, vector);
          const stateBefore = readSheet(await storedCopy(releaseId));
          const key = `${writer} ${fieldClass}`;
          actual[key] = await outcomeOf(raw, nextRejection, bystander.doc, update);
          wanted[key] = expected(writer, status, fieldClass);
          if (actual[key] !== 'stored') {
            // Refused: nothing of it was stored.
            expect(readSheet(await storedCopy(releaseId)), key).toEqual(stateBefore);
          }
        }
        raw.ws.close();
      }
      expect(actual).toEqual(wanted);
      // What was stored is what the bystander holds: nothing refused reached it.
      expect(readSheet(bystander.doc)).toEqual(readSheet(await storedCopy(releaseId)));
      bystander.destroy();
    });
  }
});
