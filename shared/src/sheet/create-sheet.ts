import * as Y from 'yjs';
import { metaMap, SCHEMA_VERSION } from '../doc-layout.js';
import type { ReleaseFields, TrackScalarFields } from '../domain/release-sheet.js';
import { setReleaseFields } from './edit-release.js';
import { addTrack } from './edit-tracks.js';
import { replaceNotesText } from './notes.js';

export interface SheetSeed {
  release?: Partial<ReleaseFields>;
  tracks?: Array<Partial<TrackScalarFields>>;
  notes?: string;
}

/**
 * Creates a release sheet document: schema version, `draft` status and the seed's fields.
 * Seed a sheet once (on the server when the release is created): two peers seeding the same
 * release independently would each add their own tracks.
 */
export function createSheet(seed: SheetSeed = {}, doc: Y.Doc = new Y.Doc()): Y.Doc {
  doc.transact(() => {
    metaMap(doc).set('schemaVersion', SCHEMA_VERSION);
    setReleaseFields(doc, { status: 'draft', ...seed.release });
    for (const track of seed.tracks ?? []) addTrack(doc, track);
    if (seed.notes !== undefined) replaceNotesText(doc, seed.notes);
  });
  return doc;
}
