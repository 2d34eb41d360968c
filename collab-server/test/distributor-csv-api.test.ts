import { DISTRIBUTOR_LAYOUTS, type ReleaseSheet } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Actors, ownedRelease, signInActors } from './support/api-actors.js';
import { parseCsv } from './support/csv.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let actors: Actors;
let releaseId: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  actors = await signInActors(stack);
  releaseId = await ownedRelease(stack, actors, { title: 'Templates' });
  return started.teardown;
});

describe('GET /releases/:id/export.csv?layout=', () => {
  it.each(Object.values(DISTRIBUTOR_LAYOUTS).map((layout) => [layout.id, layout] as const))(
    '%s: the template headers, one row per track of the sheet',
    async (id, layout) => {
      const sheet = (await actors.api.viewer.get<ReleaseSheet>(`/releases/${releaseId}/export.json`)).body;
      const response = await actors.api.viewer.get<string>(`/releases/${releaseId}/export.csv?layout=${id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="release-${releaseId}.${id}.csv"`,
      );
      const [header, ...rows] = parseCsv(response.body);
      expect(header).toEqual(layout.columns.map((column) => column.header));
      expect(rows.map((row) => row[header!.indexOf('ISRC')])).toEqual(sheet.tracks.map((t) => t.isrc));
      expect(rows.map((row) => row[header!.indexOf('Track Title')])).toEqual(
        sheet.tracks.map((t) => t.title),
      );
    },
  );

  it('without a layout, our own columns as before; an unknown layout is a 400 that names the choices', async () => {
    const own = await actors.api.viewer.get<string>(`/releases/${releaseId}/export.csv`);
    expect(own.status).toBe(200);
    expect(parseCsv(own.body)[0]!.slice(0, 2)).toEqual(['release.title', 'release.version']);
    const bad = await actors.api.viewer.get<{ error: string; details: { field: string; message: string }[] }>(
      `/releases/${releaseId}/export.csv?layout=../../etc/passwd`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'querystring.layout', message: expect.stringMatching(/patchline.*believe.*spotify-uplink/) },
    ]);
  });

  it('a non-member gets 404 whatever the layout', async () => {
    const response = await actors.api.outsider.get(`/releases/${releaseId}/export.csv?layout=believe`);
    expect(response.status).toBe(404);
  });
});
