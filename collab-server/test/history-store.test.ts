import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../src/store/document-store.js';
import {
  type AttributionRecord,
  attributionItems,
  autoVersionsToDrop,
  mergeRuns,
  RUN_GAP_MS,
  type StoredVersion,
} from '../src/store/history-store.js';

const record = (seq: number, at: number, by: string, paths: string[], values?: Record<string, unknown>) =>
  ({ first: seq, last: seq, at, by: [by], paths, ...(values ? { values } : {}) }) satisfies AttributionRecord;

describe('mergeRuns', () => {
  it('merges one person typing into one field, and nothing else', () => {
    const runs = mergeRuns([
      record(1, 0, 'ana', ['release.title'], { 'release.title': 'N' }),
      record(2, 1_000, 'ana', ['release.title'], { 'release.title': 'Ni' }),
      record(3, 2_000, 'ana', ['release.title'], { 'release.title': 'Nig' }),
      record(4, 3_000, 'ben', ['release.title'], { 'release.title': 'Night' }),
      record(5, 4_000, 'ben', ['release.genre']),
      record(6, 4_000 + RUN_GAP_MS + 1, 'ben', ['release.genre']),
      record(7, 4_000 + RUN_GAP_MS + 2, 'ben', ['release.status']),
      record(8, 4_000 + RUN_GAP_MS + 3, 'ben', ['release.status']),
    ]);
    expect(runs.map((run) => [run.first, run.last, run.values?.['release.title'] ?? null])).toEqual([
      [1, 3, 'Nig'],
      [4, 4, 'Night'],
      [5, 5, null],
      [6, 6, null],
      [7, 7, null],
      [8, 8, null],
    ]);
  });
});

describe('attributionItems', () => {
  it('cuts the kept records into items well under 400 KB that cover every commit once', () => {
    const log: LogRecord[] = Array.from({ length: 20_000 }, (_, i) => ({
      seq: i + 1,
      key: `LOG#${i + 1}`,
      at: i * RUN_GAP_MS * 2,
      bytes: 10,
      by: [`person-${i % 3}`],
      paths: [`tracks.abcdefgh${i % 10}.title`],
      values: { [`tracks.abcdefgh${i % 10}.title`]: 'x'.repeat(150) },
    }));
    const items = attributionItems('REL#r', log);
    expect(items.length).toBeGreaterThan(1);
    let next = 1;
    for (const item of items) {
      expect(Buffer.byteLength(String(item.records))).toBeLessThan(310 * 1024);
      const runs = JSON.parse(String(item.records)) as Array<[number, number]>;
      for (const [first, last] of runs) {
        expect(first).toBe(next);
        next = last + 1;
      }
    }
    expect(next).toBe(20_001);
  });
});

describe('autoVersionsToDrop', () => {
  const version = (seq: number, at: number, kind: StoredVersion['kind'] = 'auto') => ({
    versionId: `v${seq}`,
    seq,
    kind,
    createdAt: new Date(at).toISOString(),
  });
  const day = 86_400_000;
  const now = Date.UTC(2026, 11, 3, 12);

  it('keeps a day of automatic versions, then the newest per day, then per week, and every other kind', () => {
    const versions = [
      version(1, now - 2 * 3_600_000),
      version(2, now - 3_600_000),
      version(3, now - 3 * day + 1_000),
      version(4, now - 3 * day + 2_000),
      version(5, now - 3 * day + 3_000, 'named'),
      version(6, now - 60 * day),
      version(7, now - 60 * day + 1_000),
      version(8, now - 200 * day, 'status'),
    ];
    expect(
      autoVersionsToDrop(versions, now)
        .map((v) => v.versionId)
        .sort(),
    ).toEqual(['v3', 'v6']);
  });
});
