'use client';

import type { ListChange, SheetDiff, Track } from '@patchline/shared';
import { ArrowLeftIcon } from 'lucide-react';
import { useMemo, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { describePath } from '@/components/release-sheet/problems-panel';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useCompare, useVersions } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { formatValue, type HistoryAccess, VERSION_KIND_LABELS } from './history-format';
import { RestoreButton } from './version-actions';

/** One line of the comparison; `path` is what restoring it would bring back (shared/PROTOCOL.md paths). */
export interface CompareRow {
  path: string;
  where: string;
  change: 'changed' | 'added' | 'removed' | 'moved';
  before: string;
  after: string;
}

const trackName = (track: Pick<Track, 'title'>) => track.title.trim() || '(untitled)';

function listText(list: ListChange): { before: string; after: string } {
  const before = [
    ...list.removed.map((entry) => formatValue(entry)),
    ...list.changed.map((entry) => formatValue(entry.before)),
  ];
  const after = [
    ...list.added.map((entry) => formatValue(entry)),
    ...list.changed.map((entry) => formatValue(entry.after)),
  ];
  return { before: before.join('; ') || '—', after: after.join('; ') || '—' };
}

/**
 * The diff as table rows, release fields first, then tracks (removed, added, moved, changed
 * field by field with credits and splits); the notes are shown apart, as a text diff.
 */
export function compareRows(diff: SheetDiff, tracks: readonly Track[]): CompareRow[] {
  const rows: CompareRow[] = diff.release.map((change) => ({
    path: change.path,
    where: describePath(change.path, tracks),
    change: 'changed',
    before: formatValue(change.before),
    after: formatValue(change.after),
  }));
  for (const track of diff.tracks.removed)
    rows.push({
      path: `tracks.${track.id}`,
      where: 'Track',
      change: 'removed',
      before: trackName(track),
      after: '—',
    });
  for (const track of diff.tracks.added)
    rows.push({
      path: `tracks.${track.id}`,
      where: 'Track',
      change: 'added',
      before: '—',
      after: trackName(track),
    });
  for (const move of diff.tracks.moved)
    rows.push({
      path: `tracks.${move.trackId}`,
      where: describePath(`tracks.${move.trackId}`, tracks),
      change: 'moved',
      before: `position ${move.from + 1}`,
      after: `position ${move.to + 1}`,
    });
  for (const track of diff.tracks.changed) {
    const name = trackName(track);
    for (const change of track.fields)
      rows.push({
        path: change.path,
        where: `${name} · ${describePath(change.path, []).replace('Track · ', '')}`,
        change: 'changed',
        before: formatValue(change.before),
        after: formatValue(change.after),
      });
    for (const list of ['credits', 'splits'] as const) {
      const listChange = track[list];
      if (listChange.added.length + listChange.removed.length + listChange.changed.length === 0) continue;
      rows.push({
        path: `tracks.${track.trackId}.${list}`,
        where: `${name} · ${list === 'credits' ? 'Credits' : 'Splits'}`,
        change: 'changed',
        ...listText(listChange),
      });
    }
  }
  return rows;
}

/** Each notes op with a key that stays put: its kind and where its text starts. */
function keyedOps<T extends { kind: string; text: string }>(ops: readonly T[]) {
  let offset = 0;
  return ops.map((op) => {
    const key = `${op.kind}-${offset}`;
    offset += op.text.length;
    return { op, key };
  });
}

const CHANGE_LABELS: Record<CompareRow['change'], string> = {
  changed: 'Changed',
  added: 'Added',
  removed: 'Removed',
  moved: 'Moved',
};

/** Two versions (or a version and now) side by side, field by field; restore the selected rows. */
export function CompareView({
  releaseId,
  from,
  to,
  access,
  tracks,
  onBack,
}: {
  releaseId: string;
  from: string;
  to: string;
  access: HistoryAccess;
  tracks: readonly Track[];
  onBack(): void;
}) {
  const compare = useCompare(releaseId, from, to);
  const versions = useVersions(releaseId);
  const fromVersion = versions.data?.versions.find((version) => version.versionId === from);
  const rows = useMemo(
    () => (compare.data ? compareRows(compare.data.diff, tracks) : []),
    [compare.data, tracks],
  );
  const notes = compare.data?.diff.notes ?? null;
  // Selecting rows restores `from`'s values into the current sheet: only when comparing with now.
  const canSelect = access.canRestore && to === 'current' && fromVersion !== undefined;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selectable = (path: string) => !path.startsWith('release.') || access.canEdit(path);
  const toggle = (path: string, isOn: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (isOn) next.add(path);
      else next.delete(path);
      return next;
    });
  const label = (id: string) => {
    if (id === 'current') return 'now';
    const version = versions.data?.versions.find((v) => v.versionId === id);
    return version
      ? `“${version.name ?? VERSION_KIND_LABELS[version.kind]}” (${formatDateTime(version.createdAt)})`
      : 'a version';
  };

  return (
    <div className="grid gap-4" data-testid="history-compare">
      <Button variant="ghost" size="sm" className="justify-self-start" onClick={onBack}>
        <ArrowLeftIcon aria-hidden />
        All versions
      </Button>
      <h3 className="text-base font-semibold">
        From {label(from)} to {label(to)}
      </h3>
      {compare.error ? (
        <FormMessage message={errorMessage(compare.error)} testId="history-compare-error" />
      ) : !compare.data ? (
        <Skeleton className="h-40 w-full" />
      ) : rows.length === 0 && notes === null ? (
        <p className="text-muted-foreground text-sm" role="status">
          No differences.
        </p>
      ) : (
        <>
          {rows.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="history-compare-table">
                <caption className="sr-only">Differences field by field</caption>
                <thead className="text-muted-foreground text-xs">
                  <tr>
                    {canSelect ? (
                      <th scope="col" className="w-8 p-1">
                        <span className="sr-only">Restore</span>
                      </th>
                    ) : null}
                    <th scope="col" className="p-1">
                      Field
                    </th>
                    <th scope="col" className="p-1">
                      Change
                    </th>
                    <th scope="col" className="p-1">
                      Before
                    </th>
                    <th scope="col" className="p-1">
                      After
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const boxId = `restore-${row.path}`;
                    return (
                      <tr
                        key={`${row.path}-${row.change}`}
                        className="border-t align-top"
                        data-path={row.path}
                      >
                        {canSelect ? (
                          <td className="p-1">
                            <input
                              id={boxId}
                              type="checkbox"
                              checked={selected.has(row.path)}
                              disabled={!selectable(row.path)}
                              onChange={(event) => toggle(row.path, event.target.checked)}
                              aria-label={`Restore ${row.where}`}
                              data-testid="history-compare-select"
                            />
                          </td>
                        ) : null}
                        <th scope="row" className="p-1 font-medium">
                          {row.where}
                        </th>
                        <td className="p-1">{CHANGE_LABELS[row.change]}</td>
                        <td className="p-1 break-words">{row.before}</td>
                        <td className="p-1 break-words">{row.after}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          {notes ? (
            <section aria-label="Notes" className="grid gap-1">
              <div className="flex items-center gap-2">
                <h4 className="text-sm font-semibold">Notes</h4>
                {canSelect ? (
                  <label className="flex items-center gap-1 text-xs">
                    <input
                      type="checkbox"
                      checked={selected.has('notes')}
                      onChange={(event) => toggle('notes', event.target.checked)}
                    />
                    Restore the notes
                  </label>
                ) : null}
              </div>
              <div
                className="rounded-md border p-2 font-mono text-xs whitespace-pre-wrap"
                data-testid="history-notes-diff"
              >
                {keyedOps(notes.ops).map(({ op, key }) =>
                  op.kind === 'added' ? (
                    <ins
                      key={key}
                      className="bg-green-100 text-green-900 no-underline dark:bg-green-950 dark:text-green-100"
                    >
                      <span className="sr-only">Added: </span>
                      {op.text}
                    </ins>
                  ) : op.kind === 'removed' ? (
                    <del key={key} className="bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100">
                      <span className="sr-only">Removed: </span>
                      {op.text}
                    </del>
                  ) : (
                    <span key={key}>{op.text}</span>
                  ),
                )}
              </div>
            </section>
          ) : null}
          {canSelect && fromVersion ? (
            <div className="flex flex-wrap gap-2">
              <RestoreButton
                releaseId={releaseId}
                version={fromVersion}
                paths={[...selected]}
                label={`Restore selected (${selected.size})`}
                disabled={selected.size === 0}
                onRestored={() => setSelected(new Set())}
              />
              <RestoreButton releaseId={releaseId} version={fromVersion} label="Restore everything" />
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
