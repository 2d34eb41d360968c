import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ActivityPage,
  type FieldHistory,
  orderedTrackIds,
  type ReleaseSheet,
  type RestoreResponse,
  readReleaseFields,
  readSheet,
  type SheetSeed,
  setReleaseField,
  setTrackField,
  type Version,
  type VersionDetail,
  type VersionList,
} from '@patchline/shared';
import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type * as Y from 'yjs';
import { DEMO_FIRST_DRAFT_VERSION, DEMO_RELEASE } from '../src/local-stack/demo-data.js';
import { AUTO_VERSION_AFTER_MS } from '../src/room/room.js';
import { roomOf } from '../src/room/rooms.js';
import { createStores } from '../src/store/create-stores.js';
import { keys } from '../src/store/table-layout.js';
import { type Actors, freshUpc, ownedRelease, partitionOf, signInActors } from './support/api-actors.js';
import { coreDeps } from './support/core-deps.js';
import { connectRelease, waitForDocs } from './support/release-client.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

/** A server edit from this test process, recorded for `by` (another process than the API's). */
const serverEdit = (releaseId: string, change: (doc: Y.Doc) => void, paths: string[], by: string) =>
  roomOf(coreDeps(stack), releaseId).edit(
    () => null,
    (doc) => change(doc),
    paths,
    by,
  );

async function saveVersion(releaseId: string, name: string): Promise<Version> {
  const saved = await actors.api.owner.post<Version>(`/releases/${releaseId}/versions`, { name });
  expect(saved.status).toBe(201);
  return saved.body;
}

/** A single ready for delivery, with identifiers no other release of the label uses. */
function readySeed(): SheetSeed {
  const isrc = `QZHIS26${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
  const releaseDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  return {
    release: {
      ...DEMO_RELEASE.release,
      title: 'Matrix',
      releaseType: 'Single',
      upc: freshUpc(),
      releaseDate,
      preorderDate: '',
    },
    tracks: [{ ...DEMO_RELEASE.tracks![0], title: 'Matrix', isrc }],
  };
}

const storedSheet = async (releaseId: string) =>
  readSheet((await stack.stores.documents.load(releaseId))!.doc);

describe('version history (real stack: dynalite, cognito-local, gateway workers, REST API)', () => {
  it('restores while another person is typing: both converge, the restore is live and attributed to the restorer', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const version = await saveVersion(releaseId, 'Before the genre change');
    const typist = connectRelease(stack.config.websocketUrl, releaseId, actors.token.editor);
    const watcher = connectRelease(stack.config.websocketUrl, releaseId, actors.token.owner);
    await Promise.all([typist.whenSynced(), watcher.whenSynced()]);
    const originalGenre = readReleaseFields(typist.doc).genre;
    setReleaseField(typist.doc, 'genre', 'Hyperpop');
    // The watcher receives only stored updates.
    await waitForDocs([watcher.doc], () => readReleaseFields(watcher.doc).genre === 'Hyperpop');

    const [trackId] = orderedTrackIds(typist.doc) as [string];
    const typed = 'Opening (Extended Mix)';
    let restore: Promise<{ status: number; body: RestoreResponse }> | null = null;
    for (let i = 1; i <= typed.length; i++) {
      setTrackField(typist.doc, trackId, 'title', typed.slice(0, i));
      if (i === 8) {
        restore = actors.api.owner.post<RestoreResponse>(
          `/releases/${releaseId}/versions/${version.versionId}/restore`,
          {
            paths: ['release.genre'],
          },
        );
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const restored = await restore!;
    expect(restored.status).toBe(200);
    expect(restored.body.restored).toEqual(['release.genre']);

    const converged = (doc: Y.Doc) =>
      readReleaseFields(doc).genre === originalGenre &&
      readSheet(doc).tracks.find((track) => track.id === trackId)?.title === typed;
    await waitForDocs([typist.doc, watcher.doc], () => converged(typist.doc) && converged(watcher.doc));
    expect(readSheet(typist.doc)).toEqual(readSheet(watcher.doc));
    expect(await storedSheet(releaseId)).toEqual(readSheet(watcher.doc));

    const history = await actors.api.viewer.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.genre`,
    );
    expect(history.status).toBe(200);
    expect(history.body.entries.slice(0, 2).map((entry) => [entry.value, entry.setBy?.userId])).toEqual([
      [originalGenre, actors.sub.owner],
      ['Hyperpop', actors.sub.editor],
    ]);
    const titleHistory = await actors.api.viewer.get<FieldHistory>(
      `/releases/${releaseId}/history?path=tracks.${trackId}.title`,
    );
    expect(titleHistory.body.entries[0]).toMatchObject({
      value: typed,
      setBy: { userId: actors.sub.editor },
    });

    // The state before the restore was kept, so the restore can be undone.
    const versions = await actors.api.viewer.get<VersionList>(`/releases/${releaseId}/versions`);
    expect(versions.body.versions[0]).toMatchObject({
      kind: 'restore',
      createdBy: { userId: actors.sub.owner },
    });
    const before = await actors.api.viewer.get<VersionDetail>(
      `/releases/${releaseId}/versions/${versions.body.versions[0]!.versionId}`,
    );
    expect(before.body.sheet.release.genre).toBe('Hyperpop');
  });

  it('refuses an editor restoring a label-only field, and lets a manager restore it', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const version = await saveVersion(releaseId, 'Original UPC');
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'upc', freshUpc()),
      ['release.upc'],
      actors.sub.manager,
    );
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'genre', 'Changed'),
      ['release.genre'],
      actors.sub.editor,
    );
    const before = await storedSheet(releaseId);
    const url = `/releases/${releaseId}/versions/${version.versionId}/restore`;

    const refused = await actors.api.editor.post<{ message: string }>(url, { paths: ['release.upc'] });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('release.upc');
    // The whole sheet includes the UPC: refused as a whole, nothing written.
    expect((await actors.api.editor.post(url, {})).status).toBe(403);
    expect((await actors.api.viewer.post(url, { paths: ['release.genre'] })).status).toBe(403);
    expect(await storedSheet(releaseId)).toEqual(before);

    const allowed = await actors.api.editor.post<RestoreResponse>(url, { paths: ['release.genre'] });
    expect(allowed.body.restored).toEqual(['release.genre']);
    const byManager = await actors.api.manager.post<RestoreResponse>(url, { paths: ['release.upc'] });
    expect(byManager.body.restored).toEqual(['release.upc']);
    const original = await actors.api.viewer.get<VersionDetail>(
      `/releases/${releaseId}/versions/${version.versionId}`,
    );
    expect((await storedSheet(releaseId)).release).toEqual(original.body.sheet.release);
    expect((await actors.api.editor.post(url, { paths: ['release.status'] })).status).toBe(400);
  });

  it('refuses any restore into a locked status', async () => {
    const releaseId = await ownedRelease(stack, actors, { status: 'approved' });
    const version = await saveVersion(releaseId, 'Approved');
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'genre', 'Late change'),
      ['release.genre'],
      'system',
    );
    const url = `/releases/${releaseId}/versions/${version.versionId}/restore`;
    for (const actor of ['owner', 'editor', 'manager', 'admin'] as const) {
      const refused = await actors.api[actor].post<{ message: string }>(url, { paths: ['release.genre'] });
      expect(refused.status, actor).toBe(409);
    }
    expect((await storedSheet(releaseId)).release.genre).toBe('Late change');
  });

  it('keeps attribution and values through a forced compaction and after the folded log items expire', async () => {
    const releaseId = await ownedRelease(stack, actors);
    for (let i = 1; i <= 3; i++) {
      await serverEdit(
        releaseId,
        (doc) => setReleaseField(doc, 'genre', `Genre ${i}`),
        ['release.genre'],
        actors.sub.editor,
      );
    }
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'cLine', '© 2026 Label'),
      ['release.cLine'],
      actors.sub.manager,
    );
    const room = roomOf(coreDeps(stack), releaseId);
    expect(await room.compactIfDue({ force: true })).not.toBeNull();
    // DynamoDB's TTL would delete the folded items within an hour or so; do it now.
    const items = await partitionOf(stack, releaseId);
    const folded = items.filter((item) => String(item.SK).startsWith(keys.logPrefix));
    expect(folded.length).toBeGreaterThan(0);
    expect(folded.every((item) => item.data === undefined && item.expiresAt !== undefined)).toBe(true);
    for (const item of folded) {
      await stack.stores.client.send(
        new DeleteCommand({ TableName: stack.stores.tableName, Key: { PK: item.PK, SK: item.SK } }),
      );
    }
    expect(items.some((item) => String(item.SK).startsWith(keys.historyPrefix))).toBe(true);

    const genre = await actors.api.viewer.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.genre`,
    );
    // Three commits of one person to one field within a minute: one run, with its last value;
    // then the value the release was created with, by its owner.
    expect(genre.body.entries.map((entry) => [entry.value, entry.setBy?.userId])).toEqual([
      ['Genre 3', actors.sub.editor],
      ['Indie Pop', actors.sub.owner],
    ]);
    const cLine = await actors.api.viewer.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.cLine`,
    );
    expect(cLine.body.entries.map((entry) => [entry.value, entry.setBy?.name])).toEqual([
      ['© 2026 Label', 'Mo Manager'],
      ['2026 Patchline Demo Records', 'Olu Owner'],
    ]);
  });

  it('shows the activity feed to owners and label staff only, filtered and paged by cursor', async () => {
    const releaseId = await ownedRelease(stack, actors);
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'genre', 'A'),
      ['release.genre'],
      actors.sub.editor,
    );
    await saveVersion(releaseId, 'First cut');
    await actors.api.owner.post(`/releases/${releaseId}/members`, {
      email: actors.email.outsider,
      role: 'viewer',
    });
    const url = `/releases/${releaseId}/activity`;
    for (const actor of ['editor', 'viewer', 'outsider'] as const)
      expect((await actors.api[actor].get(url)).status, actor).toBe(403);
    expect((await actors.api.anonymous.get(url)).status).toBe(401);

    const all = await actors.api.owner.get<ActivityPage>(url);
    expect(all.status).toBe(200);
    expect(new Set(all.body.items.map((item) => item.kind))).toEqual(new Set(['edit', 'version', 'sharing']));
    const edit = all.body.items.find((item) => item.kind === 'edit')!;
    expect(edit).toMatchObject({ actor: { userId: actors.sub.editor }, paths: ['release.genre'] });
    const ats = all.body.items.map((item) => item.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const versionsOnly = await actors.api.manager.get<ActivityPage>(`${url}?kinds=version`);
    expect(versionsOnly.body.items.map((item) => item.summary)).toEqual([
      expect.stringContaining('First cut'),
    ]);
    expect((await actors.api.manager.get(`${url}?kinds=edit,nonsense`)).status).toBe(400);
    expect((await actors.api.manager.get(`${url}?cursor=bm90LWEtY3Vyc29y`)).status).toBe(400);

    const paged: ActivityPage['items'] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: { body: ActivityPage } = await actors.api.owner.get<ActivityPage>(`${url}?limit=1${query}`);
      paged.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.body.items);
  });

  it("pages the activity and a field's history across many kept attribution items, reading newest first", async () => {
    const releaseId = await ownedRelease(stack, actors);
    const room = roomOf(coreDeps(stack), releaseId);
    const people = [actors.sub.editor, actors.sub.manager];
    for (let i = 0; i < 30; i++) {
      await serverEdit(
        releaseId,
        (doc) => setReleaseField(doc, 'genre', `G${i}`),
        ['release.genre'],
        people[i % 2]!,
      );
      if (i % 5 === 4) expect(await room.compactIfDue({ force: true })).not.toBeNull();
    }
    const kept = (await partitionOf(stack, releaseId)).filter((item) =>
      String(item.SK).startsWith(keys.historyPrefix),
    );
    expect(kept.length).toBeGreaterThanOrEqual(6);

    const edits: ActivityPage['items'] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: { body: ActivityPage } = await actors.api.owner.get<ActivityPage>(
        `/releases/${releaseId}/activity?kinds=edit&limit=4${query}`,
      );
      edits.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    // Each edit is its own group: the two people alternate.
    expect(edits.map((item) => item.actor?.userId)).toEqual(
      Array.from({ length: 30 }, (_, i) => people[(29 - i) % 2]),
    );
    const history = await actors.api.viewer.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.genre`,
    );
    expect(history.body.entries.map((entry) => entry.value)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `G${29 - i}`),
      'Indie Pop', // as the release was created
    ]);
  });

  it('saves a version at every status change, by the person who changed it', async () => {
    const releaseId = await ownedRelease(stack, actors, { seed: readySeed() });
    const steps = [
      ['editor', 'submit', 'in_review'],
      ['manager', 'approve', 'approved'],
      ['manager', 'deliver', 'delivered'],
    ] as const;
    for (const [actor, transition] of steps) {
      const changed = await actors.api[actor].post(`/releases/${releaseId}/status`, { transition });
      expect(changed.status, transition).toBe(200);
    }
    const versions = await actors.api.viewer.get<VersionList>(`/releases/${releaseId}/versions`);
    expect(
      versions.body.versions.filter((v) => v.kind === 'status').map((v) => [v.status, v.createdBy?.userId]),
    ).toEqual(steps.map(([actor, , status]) => [status, actors.sub[actor]]).reverse());
    expect(versions.body.versions[0]!.summary).toBe('Status delivered');
    const history = await actors.api.viewer.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.status`,
    );
    expect(history.body.entries.map((entry) => [entry.value, entry.setBy?.userId])).toEqual(
      steps.map(([actor, , status]) => [status, actors.sub[actor]]).reverse(),
    );
  });

  it('exports a version, and copies it as a new release for owners and label staff only', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const version = await saveVersion(releaseId, 'To copy');
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'title', 'Renamed'),
      ['release.title'],
      actors.sub.editor,
    );
    const exported = await actors.api.viewer.get<ReleaseSheet>(
      `/releases/${releaseId}/export.json?version=${version.versionId}`,
    );
    expect(exported.body.release.title).toBe('Matrix');
    const csv = await actors.api.viewer.get<string>(
      `/releases/${releaseId}/export.csv?version=${version.versionId}`,
    );
    expect(csv.body).toContain('"Matrix"');
    expect(
      (await actors.api.viewer.get(`/releases/${releaseId}/export.json?version=zzzzzzzzzzzz`)).status,
    ).toBe(404);
    expect((await actors.api.viewer.get(`/releases/${releaseId}/export.json?version=../x`)).status).toBe(400);

    const url = `/releases/${releaseId}/versions/${version.versionId}/copy`;
    expect((await actors.api.editor.post(url)).status).toBe(403);
    const copy = await actors.api.owner.post<{ releaseId: string; title: string; status: string }>(url);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ title: 'Matrix (copy)', status: 'draft' });
    const copied = await storedSheet(copy.body.releaseId);
    const original = await actors.api.viewer.get<VersionDetail>(
      `/releases/${releaseId}/versions/${version.versionId}`,
    );
    expect(copied.tracks).toEqual(original.body.sheet.tracks);
    expect(copied.notes).toBe(original.body.sheet.notes);
  });

  it('saves an automatic version after five minutes of activity, and when the last person leaves', async () => {
    const releaseId = await ownedRelease(stack, actors);
    // A process of its own with a clock the test moves (rooms are per process, keyed by stores).
    let now = Date.now();
    const deps = {
      ...coreDeps(stack),
      stores: createStores({ ...stack.config.dynamodb, region: stack.config.region }),
      now: () => now,
    };
    onTestFinished(() => deps.stores.client.destroy());
    const edit = (genre: string) =>
      roomOf(deps, releaseId).edit(
        () => null,
        (doc) => setReleaseField(doc, 'genre', genre),
        ['release.genre'],
        actors.sub.editor,
      );
    const autoVersions = async () =>
      (await actors.api.viewer.get<VersionList>(`/releases/${releaseId}/versions`)).body.versions.filter(
        (v) => v.kind === 'auto',
      );
    await edit('Minute 0');
    now += AUTO_VERSION_AFTER_MS - 1;
    await edit('Minute 4');
    expect(await autoVersions()).toEqual([]);
    now += 1;
    await edit('Minute 5');
    const [first] = await autoVersions();
    // The first version of a release is summarised against an empty sheet: everything was set.
    expect(first).toMatchObject({ contributors: [{ userId: actors.sub.editor }] });
    expect(first!.summary).toContain('Title set');

    const editor = connectRelease(stack.config.websocketUrl, releaseId, actors.token.editor);
    await editor.whenSynced();
    setReleaseField(editor.doc, 'genre', 'Typed, then left');
    await vi.waitFor(async () =>
      expect((await storedSheet(releaseId)).release.genre).toBe('Typed, then left'),
    );
    editor.destroy();
    // $disconnect runs in a gateway worker: no event reaches the test, so it asks until it shows.
    await vi.waitFor(async () => expect(await autoVersions()).toHaveLength(2), { timeout: 10_000 });
    const [left] = await autoVersions();
    expect(left!.contributors.map((p) => p.userId)).toEqual([actors.sub.editor]);
    const detail = await actors.api.viewer.get<VersionDetail>(
      `/releases/${releaseId}/versions/${left!.versionId}`,
    );
    expect(detail.body.sheet.release.genre).toBe('Typed, then left');
  });

  it("starts a field's history with the value the release was created with, set by its creator", async () => {
    const created = await actors.api.manager.post<{ releaseId: string }>('/releases', {
      title: 'Born Titled',
      trackCount: 1,
    });
    const releaseId = created.body.releaseId;
    const title = await actors.api.manager.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.title`,
    );
    expect(title.body.entries.map((e) => [e.value, e.setBy?.name])).toEqual([['Born Titled', 'Mo Manager']]);
    // A field set later is listed above the creation; one nobody set has no history.
    const trackId = (await actors.api.manager.get<ReleaseSheet>(`/releases/${releaseId}/export.json`)).body
      .tracks[0]!.id;
    await serverEdit(
      releaseId,
      (doc) => setTrackField(doc, trackId, 'title', 'Named Later'),
      [`tracks.${trackId}.title`],
      actors.sub.editor,
    );
    const trackTitle = await actors.api.manager.get<FieldHistory>(
      `/releases/${releaseId}/history?path=tracks.${trackId}.title`,
    );
    expect(trackTitle.body.entries.map((e) => [e.value, e.setBy?.name])).toEqual([
      ['Named Later', 'Eli Editor'],
      [null, 'Mo Manager'], // the track was created with the release (empty fields are not values)
    ]);
    const genre = await actors.api.manager.get<FieldHistory>(
      `/releases/${releaseId}/history?path=release.genre`,
    );
    expect(genre.body.entries).toEqual([]);
  });

  it('ships the demo release with a named version, attributed edits and an automatic version', async () => {
    const id = stack.demoReleaseId;
    const versions = await actors.api.viewer.get<VersionList>(`/releases/${id}/versions`);
    expect(versions.body.versions.map((v) => [v.kind, v.name, v.createdBy?.name ?? null])).toEqual([
      ['auto', null, null],
      ['named', DEMO_FIRST_DRAFT_VERSION, 'Eli Editor'],
    ]);
    expect(versions.body.versions[0]!.contributors.map((p) => p.name)).toEqual(['Eli Editor', 'Mo Manager']);
    expect(versions.body.versions[0]!.summary).toBe('UPC set, genre changed, 2 tracks changed');
    const genre = await actors.api.viewer.get<FieldHistory>(`/releases/${id}/history?path=release.genre`);
    // The first draft's genre, as the demo release was created by its owner, then Mo's change.
    expect(genre.body.entries.map((e) => [e.value, e.setBy?.name])).toEqual([
      ['Indie Pop', 'Mo Manager'],
      ['Indie', 'Mo Manager'],
    ]);
    const current = await actors.api.viewer.get<ReleaseSheet>(`/releases/${id}/export.json`);
    expect(current.body.release).toMatchObject({
      genre: DEMO_RELEASE.release!.genre,
      upc: DEMO_RELEASE.release!.upc,
    });
  });

  it('compares a version with now, and a version with a version', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const first = await saveVersion(releaseId, 'First');
    await serverEdit(
      releaseId,
      (doc) => setReleaseField(doc, 'genre', 'Ambient'),
      ['release.genre'],
      actors.sub.editor,
    );
    const second = await saveVersion(releaseId, 'Second');
    expect(second.summary).toBe('Genre changed');
    expect(second.contributors.map((person) => person.userId)).toEqual([actors.sub.editor]);
    const compared = await actors.api.viewer.get<{
      diff: { release: Array<{ field: string; after: unknown }> };
    }>(`/releases/${releaseId}/compare?from=${first.versionId}&to=${second.versionId}`);
    expect(compared.body.diff.release).toEqual([
      expect.objectContaining({ field: 'genre', after: 'Ambient' }),
    ]);
    const withNow = await actors.api.viewer.get<{ diff: { release: unknown[] } }>(
      `/releases/${releaseId}/compare?from=${second.versionId}&to=current`,
    );
    expect(withNow.body.diff.release).toEqual([]);
    expect(
      (await actors.api.outsider.get(`/releases/${releaseId}/compare?from=${first.versionId}&to=current`))
        .status,
    ).toBe(404);
  });
});
