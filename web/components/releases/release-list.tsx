'use client';

import type { ReleaseListItem, ReleaseStatus } from '@patchline/shared';
import { PlusIcon, RefreshCwIcon, UploadIcon } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { ImportDialog } from '@/components/import/import-dialog';
import { LazyShareDialog } from '@/components/sharing/share-dialog-lazy';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useReleaseList } from '@/hooks/api-queries';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useSession } from '@/hooks/use-session';
import { canDeleteRelease, releaseAbility, shareableRoles } from '@/lib/release-permissions';
import { withQuery } from '@/lib/safe-next';
import { CreateReleaseDialog } from './create-release-dialog';
import { DeleteReleaseDialog } from './delete-release-dialog';
import { EmptyReleases } from './empty-releases';
import { ReleaseFilters } from './release-filters';
import { ReleaseRow } from './release-row';

type Target = { releaseId: string; title: string };

const SECTIONS = [
  { id: 'mine', title: 'Your releases', test: (r: ReleaseListItem) => r.role !== null && !r.isSharedWithMe },
  { id: 'shared', title: 'Shared with me', test: (r: ReleaseListItem) => r.isSharedWithMe },
  { id: 'label', title: 'Label catalogue', test: (r: ReleaseListItem) => r.role === null },
] as const;

/**
 * `/releases`: search and status filter (kept in the URL, so a filtered list can be shared),
 * grouped into your own, shared with you and — for label staff — the rest of the catalogue.
 */
export function ReleaseList({
  initialQuery,
  initialStatus,
}: {
  initialQuery: string;
  initialStatus: ReleaseStatus | null;
}) {
  const { user } = useSession();
  const [query, setQuery] = useState(initialQuery);
  const [status, setStatus] = useState(initialStatus);
  const [isCreating, setIsCreating] = useState(false);
  const [isImporting, setIsImporting] = useState(false);
  const [shareTarget, setShareTarget] = useState<Target | null>(null);
  const [deleteTarget, setDeleteTarget] = useState<Target | null>(null);
  const q = useDebouncedValue(query.trim(), 250);
  const path = withQuery('/releases', { q, status });
  const { data, error, isPending, refetch } = useReleaseList({
    q: q || undefined,
    status: status ?? undefined,
  });
  const releases = data?.releases;
  const isFiltered = q !== '' || status !== null;

  useEffect(() => {
    // The browser's own history API: Next keeps its router in step without a server round trip.
    window.history.replaceState(null, '', path);
  }, [path]);

  const rows = useMemo(
    () =>
      (releases ?? []).map((release) => {
        const ability = user ? releaseAbility(user, release) : null;
        return {
          release,
          canDelete: ability ? canDeleteRelease(ability, release) : false,
          canShare: ability ? shareableRoles(ability, release.releaseId).length > 0 : false,
        };
      }),
    [releases, user],
  );

  return (
    <div className="mx-auto grid w-full max-w-5xl gap-6 px-4 py-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Releases</h1>
        <div className="flex gap-2">
          <Button variant="outline" onClick={() => setIsImporting(true)} data-testid="import-release-button">
            <UploadIcon aria-hidden />
            Import
          </Button>
          <Button onClick={() => setIsCreating(true)} data-testid="new-release-button">
            <PlusIcon aria-hidden />
            New release
          </Button>
        </div>
      </div>
      <ReleaseFilters query={query} status={status} onQueryChange={setQuery} onStatusChange={setStatus} />

      {error ? (
        <Alert variant="destructive">
          <AlertTitle>The releases could not be loaded</AlertTitle>
          <AlertDescription>
            <p>{error.message}</p>
            <Button variant="outline" size="sm" onClick={() => refetch()}>
              <RefreshCwIcon aria-hidden />
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      ) : isPending ? (
        <div className="grid gap-3" aria-busy="true">
          <span className="sr-only" role="status">
            Loading releases…
          </span>
          {[0, 1, 2].map((key) => (
            <Skeleton key={key} className="h-24 w-full" />
          ))}
        </div>
      ) : rows.length === 0 ? (
        isFiltered ? (
          <p className="text-muted-foreground rounded-lg border border-dashed p-8 text-center" role="status">
            No releases match these filters.
          </p>
        ) : (
          <EmptyReleases onCreate={() => setIsCreating(true)} />
        )
      ) : (
        <div className="grid gap-8" data-testid="releases-list">
          {SECTIONS.map((section) => {
            const inSection = rows.filter((row) => section.test(row.release));
            if (inSection.length === 0) return null;
            return (
              <section key={section.id} aria-labelledby={`section-${section.id}`} className="grid gap-3">
                <h2 id={`section-${section.id}`} className="text-muted-foreground text-sm font-medium">
                  {section.title} <span className="font-normal">({inSection.length})</span>
                </h2>
                <ul className="grid gap-3">
                  {inSection.map(({ release, canDelete, canShare }) => (
                    <ReleaseRow
                      key={release.releaseId}
                      release={release}
                      canDelete={canDelete}
                      canShare={canShare}
                      onShare={() => setShareTarget({ releaseId: release.releaseId, title: release.title })}
                      onDelete={() => setDeleteTarget({ releaseId: release.releaseId, title: release.title })}
                    />
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}

      <CreateReleaseDialog open={isCreating} onOpenChange={setIsCreating} />
      <ImportDialog open={isImporting} onOpenChange={setIsImporting} />
      <DeleteReleaseDialog release={deleteTarget} onOpenChange={(open) => !open && setDeleteTarget(null)} />
      {shareTarget ? (
        <LazyShareDialog
          releaseId={shareTarget.releaseId}
          releaseTitle={shareTarget.title || 'Untitled release'}
          open
          onOpenChange={(open) => !open && setShareTarget(null)}
        />
      ) : null}
    </div>
  );
}
