import { releaseMap, tracksMap } from '@patchline/shared';
import * as Y from 'yjs';

/**
 * Transaction origin of every edit the sheet form makes. The undo manager tracks this origin
 * only, so undo never touches what arrived from the server (a collaborator's edit), from
 * IndexedDB, or from the notes editor (which keeps Tiptap's own collaboration history).
 */
export const LOCAL_EDIT_ORIGIN = { source: 'patchline-sheet-form' } as const;

/**
 * Runs `edit` (one or more `@patchline/shared` sheet calls) as one local transaction: one update
 * on the wire and one undo step.
 * @example editLocally(doc, () => setReleaseFields(doc, { title: 'Night Drive' }));
 */
export function editLocally<T>(doc: Y.Doc, edit: () => T): T {
  let result: T | undefined;
  doc.transact(() => {
    result = edit();
  }, LOCAL_EDIT_ORIGIN);
  return result as T;
}

/** Milliseconds within which keystrokes in one field merge into one undo step. */
export const UNDO_CAPTURE_MS = 700;

/**
 * Undo/redo over the release fields and the tracks (with their credits and splits), scoped to
 * this client's form edits. Notes are left out on purpose: Tiptap's collaboration history
 * handles them, and two stacks over one fragment would fight.
 */
export function createLocalUndoManager(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager([releaseMap(doc), tracksMap(doc)], {
    trackedOrigins: new Set([LOCAL_EDIT_ORIGIN]),
    captureTimeout: UNDO_CAPTURE_MS,
  });
}
