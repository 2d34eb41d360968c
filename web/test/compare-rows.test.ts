import type { SheetDiff, Track } from '@patchline/shared';
import { EMPTY_TRACK_FIELDS } from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { compareRows } from '../components/history/compare-view';

const track = (id: string, title: string): Track => ({
  ...EMPTY_TRACK_FIELDS,
  id,
  title,
  position: 'a0',
  credits: [],
  splits: [],
});
const noList = { added: [], removed: [], changed: [] };

describe(compareRows.name, () => {
  it('lists release fields, then removed, added, moved and changed tracks, each with the path a restore takes', () => {
    const diff: SheetDiff = {
      release: [{ path: 'release.upc', field: 'upc', before: '', after: '5012345678900' }],
      tracks: {
        added: [track('t3', 'Bonus')],
        removed: [track('t2', 'Cut')],
        moved: [{ trackId: 't1', from: 1, to: 0 }],
        changed: [
          {
            trackId: 't1',
            title: 'Opener',
            fields: [{ path: 'tracks.t1.explicit', field: 'explicit', before: false, after: true }],
            credits: { ...noList, added: [{ id: 'c1', name: 'Ana', role: 'Producer' }] },
            splits: noList,
          },
        ],
      },
      notes: null,
    };
    const rows = compareRows(diff, [track('t1', 'Opener'), track('t3', 'Bonus')]);
    expect(rows.map(({ path, change, before, after }) => [path, change, before, after])).toEqual([
      ['release.upc', 'changed', '(empty)', '5012345678900'],
      ['tracks.t2', 'removed', 'Cut', '—'],
      ['tracks.t3', 'added', '—', 'Bonus'],
      ['tracks.t1', 'moved', 'position 2', 'position 1'],
      ['tracks.t1.explicit', 'changed', 'No', 'Yes'],
      ['tracks.t1.credits', 'changed', '—', 'Ana (Producer)'],
    ]);
    expect(rows.find((row) => row.path === 'tracks.t1.explicit')?.where).toBe('Opener · Explicit');
  });

  it('leaves out credits and splits that did not change', () => {
    const diff: SheetDiff = {
      release: [],
      tracks: {
        added: [],
        removed: [],
        moved: [],
        changed: [{ trackId: 't1', title: 'Opener', fields: [], credits: noList, splits: noList }],
      },
      notes: { ops: [{ kind: 'added', text: 'New line' }] },
    };
    expect(compareRows(diff, [])).toEqual([]);
  });
});
