import {
  isoDay,
  type Problem,
  readReleaseFields,
  readTracks,
  type SheetSeed,
  setReleaseField,
  setTrackField,
} from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { IdentifierStore } from '../../src/store/identifier-store.js';
import { type Actors, freshUpc, ownedRelease, signInActors } from '../support/api-actors.js';
import { connectRelease, waitForDoc } from '../support/release-client.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

interface Checks {
  isReady: boolean;
  problems: Problem[];
  labelWide: Problem[];
}

/** A one-track release that passes every rule of its own; `upc` and the track are the test's. */
function single(upc: string, track: { title: string; isrc: string; duration: string }): SheetSeed {
  return {
    release: {
      title: track.title,
      displayArtist: 'The Lanterns',
      releaseType: 'Single',
      label: 'Harbour Records',
      upc,
      genre: 'Indie',
      language: 'en',
      parentalAdvisory: 'none',
      releaseDate: isoDay(Date.now() + 60 * 86_400_000),
      pLine: '2026 Harbour Records',
      cLine: '2026 Harbour Publishing',
      territories: ['Worldwide'],
    },
    tracks: [{ language: 'en', explicit: false, ...track }],
  };
}

/** A release of the label nobody in the test holds a grant on (label staff see it). */
const archived = (title: string, seed: SheetSeed) =>
  ownedRelease(stack, actors, { ownerId: 'label-archive', title, seed });

const brief = (problems: Problem[]) =>
  problems.map(({ severity, code, value }) => ({ severity, code, value }));

/** Edits a release through the WebSocket as `token`'s holder; resolves once the edit is stored. */
async function editLive(releaseId: string, token: string, edit: (doc: import('yjs').Doc) => void) {
  const editor = connectRelease(stack.config.websocketUrl, releaseId, token);
  const watcher = connectRelease(stack.config.websocketUrl, releaseId, actors.token.admin);
  await Promise.all([editor.whenSynced(), watcher.whenSynced()]);
  const before = stack.stores.releases.get(releaseId);
  edit(editor.doc);
  const expected = JSON.stringify([readReleaseFields(editor.doc), readTracks(editor.doc)]);
  // The server relays an update only once it is stored (ARCHITECTURE.md).
  await waitForDoc(
    watcher.doc,
    (doc) => JSON.stringify([readReleaseFields(doc), readTracks(doc)]) === expected,
  );
  return (await before)?.updatedAt ?? '';
}

describe('GET /releases/:id/checks across the label', () => {
  it('finds an ISRC another release uses for a different recording, names that release only to who may open it, and blocks submit until it changes', async () => {
    const other = await archived(
      'Archive Sessions',
      single(freshUpc(), { title: 'Night Drive', isrc: 'QZDEM2690001', duration: 'PT2M58S' }),
    );
    const mine = await ownedRelease(stack, actors, {
      seed: single(freshUpc(), { title: 'Blue Hours', isrc: 'QZ-DEM-26-90001', duration: 'PT3M25S' }),
    });

    const asManager = await actors.api.manager.get<Checks>(`/releases/${mine}/checks`);
    expect(asManager.status).toBe(200);
    expect(asManager.body.problems.filter((p) => p.severity === 'blocking')).toEqual([]);
    expect(brief(asManager.body.labelWide)).toEqual([
      { severity: 'blocking', code: 'isrc-other-recording', value: 'QZ-DEM-26-90001' },
    ]);
    expect(asManager.body.labelWide[0]!.path).toMatch(/^tracks\.[0-9a-z]+\.isrc$/);
    expect(asManager.body.labelWide[0]!.message).toContain('“Archive Sessions”');
    expect(asManager.body.isReady).toBe(false);

    // The editor of this release cannot open the other one: told it exists, never what it is.
    const asEditor = await actors.api.editor.get<Checks>(`/releases/${mine}/checks`);
    expect(brief(asEditor.body.labelWide)).toEqual(brief(asManager.body.labelWide));
    expect(asEditor.body.labelWide[0]!.message).not.toContain('Archive Sessions');
    expect(asEditor.body.labelWide[0]!.message).toContain('1 release you cannot open');
    expect(JSON.stringify(asEditor.body)).not.toContain(other);
    expect((await actors.api.outsider.get(`/releases/${mine}/checks`)).status).toBe(404);

    const refused = await actors.api.owner.post<{ error: string; details: Problem[] }>(
      `/releases/${mine}/status`,
      { transition: 'submit' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((p) => p.code)).toEqual(['isrc-other-recording']);
    expect((await actors.api.owner.get(`/releases/${mine}`)).body).toMatchObject({ status: 'draft' });

    await editLive(mine, actors.token.editor, (doc) =>
      setTrackField(doc, readTracks(doc)[0]!.id, 'isrc', 'QZDEM2690002'),
    );
    expect((await actors.api.editor.get<Checks>(`/releases/${mine}/checks`)).body).toMatchObject({
      isReady: true,
      labelWide: [],
    });
    const submitted = await actors.api.owner.post(`/releases/${mine}/status`, { transition: 'submit' });
    expect(submitted.body).toMatchObject({ status: 'in_review' });
  });

  it('warns about the same recording on another release (a re-release), and lets it be submitted', async () => {
    const recording = { title: 'Slow Tide', isrc: 'QZDEM2690003', duration: 'PT3M40S' };
    await archived('Slow Tide', single(freshUpc(), { ...recording, duration: 'PT3M45S' }));
    const mine = await ownedRelease(stack, actors, { seed: single(freshUpc(), recording) });
    const checks = await actors.api.editor.get<Checks>(`/releases/${mine}/checks`);
    expect(brief(checks.body.labelWide)).toEqual([
      { severity: 'warning', code: 'isrc-on-other-release', value: 'QZDEM2690003' },
    ]);
    expect(checks.body.isReady).toBe(true);
    const submitted = await actors.api.editor.post(`/releases/${mine}/status`, { transition: 'submit' });
    expect(submitted.body).toMatchObject({ status: 'in_review' });
  });

  it('blocks a UPC another release uses, and sees that release change its UPC at the next check', async () => {
    const upc = freshUpc();
    const other = await archived(
      'Harbour Lights',
      single(upc, { title: 'Harbour Lights', isrc: 'QZDEM2690004', duration: 'PT4M02S' }),
    );
    const mine = await ownedRelease(stack, actors, {
      seed: single(upc, { title: 'Blue Hours', isrc: 'QZDEM2690005', duration: 'PT3M25S' }),
    });
    const first = await actors.api.owner.get<Checks>(`/releases/${mine}/checks`);
    expect(brief(first.body.labelWide)).toEqual([
      { severity: 'blocking', code: 'upc-on-other-release', value: upc },
    ]);
    expect(first.body.labelWide[0]!.path).toBe('release.upc');
    const refused = await actors.api.owner.post<{ details: Problem[] }>(`/releases/${mine}/status`, {
      transition: 'submit',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((p) => p.code)).toEqual(['upc-on-other-release']);

    // A manager gives the other release its own barcode, live, as the web app would.
    const touchedBefore = await editLive(other, actors.token.manager, (doc) =>
      setReleaseField(doc, 'upc', freshUpc()),
    );
    await listingTouchedAfter(other, touchedBefore);
    const second = await actors.api.owner.get<Checks>(`/releases/${mine}/checks`);
    expect(second.body.labelWide).toEqual([]);
    const submitted = await actors.api.owner.post(`/releases/${mine}/status`, { transition: 'submit' });
    expect(submitted.body).toMatchObject({ status: 'in_review' });
  });

  it('two releases given one new UPC at the same moment cannot both be submitted', async () => {
    const upc = freshUpc();
    const first = await ownedRelease(stack, actors, {
      seed: single(upc, { title: 'Same Moment', isrc: 'QZDEM2690006', duration: 'PT3M01S' }),
    });
    const second = await ownedRelease(stack, actors, {
      seed: single(upc, { title: 'Other Moment', isrc: 'QZDEM2690007', duration: 'PT3M02S' }),
    });
    // The moment: each label check reads the other's record before that release's listing was
    // touched for the new UPC, so the record still shows an older one. That lag lasts a few
    // milliseconds and cannot be hit on purpose; the records are written here as it leaves them.
    const identifiers = new IdentifierStore(stack.stores.client, stack.stores.tableName);
    const trailing = (releaseId: string) =>
      identifiers.put({ releaseId, upc: freshUpc(), recordings: [], readAt: Date.now() + 3_600_000 });
    await trailing(second);
    expect(
      (await actors.api.owner.post(`/releases/${first}/status`, { transition: 'submit' })).body,
    ).toMatchObject({ status: 'in_review' });
    await trailing(first);
    const refused = await actors.api.owner.post<{ details: Problem[] }>(`/releases/${second}/status`, {
      transition: 'submit',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((p) => [p.code, p.message.includes('Same Moment')])).toEqual([
      ['upc-on-other-release', true],
    ]);
    expect((await actors.api.owner.get(`/releases/${second}`)).body).toMatchObject({ status: 'draft' });

    // Once the first no longer carries it, the second may take the UPC.
    await editLive(first, actors.token.manager, (doc) => setReleaseField(doc, 'upc', freshUpc()));
    const submitted = await actors.api.owner.post(`/releases/${second}/status`, { transition: 'submit' });
    expect(submitted.body).toMatchObject({ status: 'in_review' });
  });
});

/**
 * The room stores a commit, then sends it and refreshes the listing's `updatedAt` side by side;
 * the label check reads that timestamp to know a release changed. No event marks the listing's
 * write, so it is polled (a few milliseconds at most).
 */
async function listingTouchedAfter(releaseId: string, updatedAt: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await stack.stores.releases.get(releaseId))!.updatedAt <= updatedAt) {
    if (Date.now() > deadline) throw new Error(`the listing of ${releaseId} was not refreshed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
