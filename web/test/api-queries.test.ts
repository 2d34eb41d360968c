import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidate, queryKeys, staleAfter } from '../hooks/api-queries';

/** A real QueryClient holding one answer per key, to see which ones a change makes stale. */
function cacheWith(keys: ReadonlyArray<readonly unknown[]>) {
  const client = new QueryClient();
  for (const key of keys) client.setQueryData(key, { cached: true });
  const stale = () =>
    keys.filter((key) => client.getQueryState(key)?.isInvalidated).map((key) => JSON.stringify(key));
  return { client, stale };
}

const A = 'releaseA';
const B = 'releaseB';

const everything = [
  queryKeys.releaseList({}),
  queryKeys.releaseList({ q: 'night' }),
  queryKeys.details(A),
  queryKeys.members(A),
  queryKeys.shareLinks(A),
  queryKeys.versions(A),
  queryKeys.version(A, 'v1'),
  queryKeys.compare(A, 'v1', 'current'),
  queryKeys.fieldHistory(A, 'release.upc'),
  queryKeys.activity(A, ['edit']),
  queryKeys.checks(A),
  queryKeys.versions(B),
  queryKeys.members(B),
  queryKeys.labelUsers(),
];

describe('what a change makes stale', () => {
  it('a restore: the release’s versions, activity, field histories and comparisons, nothing else', async () => {
    const { client, stale } = cacheWith(everything);
    await invalidate(client, staleAfter.restored(A));
    expect(stale()).toEqual(
      [
        queryKeys.versions(A),
        queryKeys.compare(A, 'v1', 'current'),
        queryKeys.fieldHistory(A, 'release.upc'),
        queryKeys.activity(A, ['edit']),
      ].map((key) => JSON.stringify(key)),
    );
  });

  it('a status change: that release’s details, every release list, its versions and activity', async () => {
    const { client, stale } = cacheWith(everything);
    await invalidate(client, staleAfter.statusChanged(A));
    expect(stale()).toEqual(
      [
        queryKeys.releaseList({}),
        queryKeys.releaseList({ q: 'night' }),
        queryKeys.details(A),
        queryKeys.versions(A),
        queryKeys.activity(A, ['edit']),
      ].map((key) => JSON.stringify(key)),
    );
  });

  it('a revoked share link: the links and the members of that release (access through it is gone)', async () => {
    const { client, stale } = cacheWith(everything);
    await invalidate(client, staleAfter.shareLinksChanged(A));
    expect(stale()).toEqual(
      [queryKeys.members(A), queryKeys.shareLinks(A), queryKeys.activity(A, ['edit'])].map((key) =>
        JSON.stringify(key),
      ),
    );
  });

  it('a saved version never makes a version’s own answer stale (a version never changes)', async () => {
    const { client, stale } = cacheWith(everything);
    await invalidate(client, staleAfter.versionSaved(A));
    expect(stale()).not.toContain(JSON.stringify(queryKeys.version(A, 'v1')));
    expect(stale()).toContain(JSON.stringify(queryKeys.versions(A)));
  });

  it('activity filters give one cache entry per set of kinds, whatever their order', () => {
    expect(queryKeys.activity(A, ['status', 'edit'])).toEqual(queryKeys.activity(A, ['edit', 'status']));
  });
});
