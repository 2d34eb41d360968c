'use client';

import { RELEASE_FIELDS, type ReleaseSheet, TRACK_SCALAR_FIELDS } from '@patchline/shared';
import { ArrowLeftIcon, DownloadIcon } from 'lucide-react';
import { FormMessage } from '@/components/form-message';
import { describePath } from '@/components/release-sheet/problems-panel';
import { toast } from '@/components/toaster';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useVersion } from '@/hooks/api-queries';
import { type ExportFormat, errorMessage, usePatchlineApi } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { formatValue, type HistoryAccess, personName, VERSION_KIND_LABELS } from './history-format';
import { PersonAvatars } from './person-avatars';
import { CopyVersionButton, RestoreButton } from './version-actions';

/** One version, read-only: its release fields, tracks with credits and splits, and notes. */
export function VersionView({
  releaseId,
  versionId,
  access,
  onBack,
  onCompare,
}: {
  releaseId: string;
  versionId: string;
  access: HistoryAccess;
  onBack(): void;
  onCompare(): void;
}) {
  const detail = useVersion(releaseId, versionId);
  const api = usePatchlineApi();

  const download = async (format: ExportFormat) => {
    try {
      const blob = await api.releases.export(releaseId, format, versionId);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `release-${releaseId}-${versionId}.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      toast.error(`Export failed: ${errorMessage(error)}`);
    }
  };

  return (
    <div className="grid gap-4" data-testid="history-version-view">
      <Button variant="ghost" size="sm" className="justify-self-start" onClick={onBack}>
        <ArrowLeftIcon aria-hidden />
        All versions
      </Button>
      {detail.error ? (
        <FormMessage message={errorMessage(detail.error)} testId="history-version-error" />
      ) : !detail.data ? (
        <Skeleton className="h-64 w-full" />
      ) : (
        <>
          <div className="grid gap-1">
            <h3 className="text-base font-semibold">
              {detail.data.version.name ?? VERSION_KIND_LABELS[detail.data.version.kind]}
            </h3>
            <p className="text-muted-foreground text-sm">
              {formatDateTime(detail.data.version.createdAt)}
              {detail.data.version.createdBy ? ` · by ${personName(detail.data.version.createdBy)}` : ''} ·
              read-only
            </p>
            <PersonAvatars people={detail.data.version.contributors} label="Took part" />
          </div>
          <div className="flex flex-wrap gap-1">
            <Button variant="secondary" size="sm" onClick={onCompare}>
              Compare with now
            </Button>
            {access.canRestore ? <RestoreButton releaseId={releaseId} version={detail.data.version} /> : null}
            {access.canCopy ? (
              <CopyVersionButton releaseId={releaseId} version={detail.data.version} />
            ) : null}
            {EXPORTS.map(({ format, label }) => (
              <Button
                key={format}
                variant="ghost"
                size="sm"
                onClick={() => download(format)}
                aria-label={`Export this version as ${label}`}
              >
                <DownloadIcon aria-hidden />
                {label}
              </Button>
            ))}
          </div>
          <SheetReadOnly sheet={detail.data.sheet} />
        </>
      )}
    </div>
  );
}

const EXPORTS: ReadonlyArray<{ format: ExportFormat; label: string }> = [
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'ddex.xml', label: 'DDEX' },
];

// Every field of the layout, in its order: a version shows all of them.
const RELEASE_FIELDS_SHOWN = RELEASE_FIELDS;
const TRACK_FIELDS_SHOWN = TRACK_SCALAR_FIELDS;

function SheetReadOnly({ sheet }: { sheet: ReleaseSheet }) {
  return (
    <div className="grid gap-4 text-sm">
      <section aria-label="Release fields">
        <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-3 gap-y-1">
          {RELEASE_FIELDS_SHOWN.map((field) => (
            <div key={field} className="contents">
              <dt className="text-muted-foreground">
                {describePath(`release.${field}`, []).replace('Release · ', '')}
              </dt>
              <dd className="min-w-0 break-words" data-testid={`history-view-release.${field}`}>
                {formatValue(sheet.release[field])}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-label="Tracks" className="grid gap-2">
        <h4 className="font-semibold">Tracks ({sheet.tracks.length})</h4>
        <ol className="grid gap-2">
          {sheet.tracks.map((track, index) => (
            <li key={track.id} className="rounded-md border p-2">
              <p className="font-medium">
                {index + 1}. {track.title || '(untitled)'}
              </p>
              <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 text-xs">
                {TRACK_FIELDS_SHOWN.filter((field) => field !== 'title').map((field) => (
                  <div key={field} className="contents">
                    <dt className="text-muted-foreground">
                      {describePath(`tracks.${track.id}.${field}`, []).replace('Track · ', '')}
                    </dt>
                    <dd>{formatValue(track[field])}</dd>
                  </div>
                ))}
                <dt className="text-muted-foreground">Credits</dt>
                <dd>{formatValue(track.credits)}</dd>
                <dt className="text-muted-foreground">Splits</dt>
                <dd>{formatValue(track.splits)}</dd>
              </dl>
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="Notes" className="grid gap-1">
        <h4 className="font-semibold">Notes</h4>
        <p className="whitespace-pre-wrap" data-testid="history-view-notes">
          {sheet.notes || '(empty)'}
        </p>
      </section>
    </div>
  );
}
