'use client';

import type { Track, Version } from '@patchline/shared';
import { HistoryIcon } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { RelativeTime } from '@/components/relative-time';
import { toast } from '@/components/toaster';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { staleAfter, useApiMutation, useVersions } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { ActivityFeed } from './activity-feed';
import { CompareView } from './compare-view';
import { type HistoryAccess, personName, VERSION_KIND_LABELS } from './history-format';
import { PersonAvatars } from './person-avatars';
import { CopyVersionButton, RestoreButton } from './version-actions';
import { VersionView } from './version-view';

/** What the panel shows: the timeline, one version, a comparison, or the activity feed. */
type Screen =
  | { kind: 'timeline' }
  | { kind: 'activity' }
  | { kind: 'version'; versionId: string }
  | { kind: 'compare'; from: string; to: string };

export interface HistoryPanelProps {
  releaseId: string;
  access: HistoryAccess;
  tracks: readonly Track[];
}

/**
 * "History" on a release page: a side panel with the timeline of versions (automatic, at status
 * changes, named and before restores), each to open read-only, compare, restore or copy, and —
 * for those who may read the audit log — the activity feed.
 */
export function HistoryPanel({ releaseId, access, tracks }: HistoryPanelProps) {
  const [open, setOpen] = useState(false);
  const [screen, setScreen] = useState<Screen>({ kind: 'timeline' });
  const tabsId = useId();
  const isActivity = screen.kind === 'activity';
  const body =
    screen.kind === 'timeline' ? (
      <Timeline releaseId={releaseId} access={access} onOpen={setScreen} />
    ) : screen.kind === 'activity' ? (
      <ActivityFeed releaseId={releaseId} tracks={tracks} />
    ) : screen.kind === 'version' ? (
      <VersionView
        releaseId={releaseId}
        versionId={screen.versionId}
        access={access}
        onBack={() => setScreen({ kind: 'timeline' })}
        onCompare={() => setScreen({ kind: 'compare', from: screen.versionId, to: 'current' })}
      />
    ) : (
      <CompareView
        releaseId={releaseId}
        from={screen.from}
        to={screen.to}
        access={access}
        tracks={tracks}
        onBack={() => setScreen({ kind: 'timeline' })}
      />
    );

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setScreen({ kind: 'timeline' });
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" data-testid="history-open">
          <HistoryIcon aria-hidden />
          History
        </Button>
      </DialogTrigger>
      <DialogContent
        className="top-0 right-0 left-auto h-dvh max-h-dvh w-full max-w-full translate-x-0 translate-y-0 grid-cols-[minmax(0,1fr)] content-start rounded-none sm:max-w-xl"
        data-testid="history-panel"
      >
        <DialogHeader>
          <DialogTitle>History</DialogTitle>
          <DialogDescription>
            Versions of this sheet: open one, compare it with another or with now, and restore it.
          </DialogDescription>
        </DialogHeader>
        {access.canReadActivity ? (
          <div role="tablist" aria-label="History views" className="flex gap-1 border-b">
            {(['timeline', 'activity'] as const).map((tab) => {
              const isSelected = tab === 'activity' ? isActivity : !isActivity;
              return (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  id={`${tabsId}-${tab}`}
                  aria-selected={isSelected}
                  aria-controls={`${tabsId}-panel`}
                  tabIndex={isSelected ? 0 : -1}
                  className="aria-selected:border-primary -mb-px border-b-2 border-transparent px-3 py-1.5 text-sm font-medium"
                  onClick={() => setScreen({ kind: tab })}
                  onKeyDown={(event) => {
                    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                      const next = tab === 'timeline' ? 'activity' : 'timeline';
                      setScreen({ kind: next });
                      document.getElementById(`${tabsId}-${next}`)?.focus();
                    }
                  }}
                  data-testid={`history-tab-${tab}`}
                >
                  {tab === 'timeline' ? 'Versions' : 'Activity'}
                </button>
              );
            })}
          </div>
        ) : null}
        {access.canReadActivity ? (
          <div
            id={`${tabsId}-panel`}
            role="tabpanel"
            aria-labelledby={`${tabsId}-${isActivity ? 'activity' : 'timeline'}`}
            className="grid min-w-0 gap-4"
          >
            {body}
          </div>
        ) : (
          <div className="grid min-w-0 gap-4">{body}</div>
        )}
      </DialogContent>
    </Dialog>
  );
}

function Timeline({
  releaseId,
  access,
  onOpen,
}: {
  releaseId: string;
  access: HistoryAccess;
  onOpen(screen: Screen): void;
}) {
  const versions = useVersions(releaseId);
  const list = versions.data?.versions ?? [];
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('current');

  return (
    <div className="grid min-w-0 gap-4">
      {access.canSaveVersion ? <SaveVersionForm releaseId={releaseId} /> : null}
      {versions.error ? (
        <FormMessage message={errorMessage(versions.error)} testId="history-error" />
      ) : versions.isPending ? (
        <div aria-busy="true" className="grid gap-2">
          <span role="status" className="sr-only">
            Loading versions…
          </span>
          <Skeleton className="h-16 w-full" />
          <Skeleton className="h-16 w-full" />
        </div>
      ) : list.length === 0 ? (
        <p className="text-muted-foreground text-sm">No versions yet: one is kept as people work.</p>
      ) : (
        <>
          <form
            className="grid gap-2 rounded-lg border p-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end"
            onSubmit={(event) => {
              event.preventDefault();
              if (from) onOpen({ kind: 'compare', from, to });
            }}
          >
            <VersionSelect
              id="compare-from"
              label="Compare"
              value={from}
              onChange={setFrom}
              versions={list}
            />
            <VersionSelect
              id="compare-to"
              label="with"
              value={to}
              onChange={setTo}
              versions={list}
              withCurrent
            />
            <Button type="submit" variant="secondary" size="sm" disabled={!from || from === to}>
              Compare
            </Button>
          </form>
          <ol className="grid gap-2" aria-label="Versions, newest first" data-testid="history-versions">
            {list.map((version) => (
              <VersionEntry
                key={version.versionId}
                releaseId={releaseId}
                version={version}
                access={access}
                onOpen={onOpen}
              />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

export function versionTitle(version: Version): string {
  return version.name ?? VERSION_KIND_LABELS[version.kind];
}

function VersionEntry({
  releaseId,
  version,
  access,
  onOpen,
}: {
  releaseId: string;
  version: Version;
  access: HistoryAccess;
  onOpen(screen: Screen): void;
}) {
  const title = versionTitle(version);
  const headingId = `version-${version.versionId}`;
  return (
    <li
      className="grid min-w-0 gap-2 rounded-lg border p-3"
      aria-labelledby={headingId}
      data-testid="history-version"
      data-kind={version.kind}
      data-version-id={version.versionId}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="min-w-0 flex-1 truncate text-sm font-semibold">
          {title}
        </h3>
        {version.name ? <Badge variant="outline">{VERSION_KIND_LABELS[version.kind]}</Badge> : null}
        <RelativeTime iso={version.createdAt} className="text-muted-foreground text-xs" />
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <PersonAvatars people={version.contributors} label="Took part" />
        <span className="text-muted-foreground min-w-0 flex-1" data-testid="history-version-summary">
          {version.summary || 'No changes'}
          {version.createdBy ? (
            <span data-testid="history-version-author"> · by {personName(version.createdBy)}</span>
          ) : null}
        </span>
      </div>
      <div className="flex flex-wrap gap-1">
        <Button
          variant="ghost"
          size="sm"
          onClick={() => onOpen({ kind: 'version', versionId: version.versionId })}
          aria-label={`Open ${title}`}
        >
          Open
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => onOpen({ kind: 'compare', from: version.versionId, to: 'current' })}
          aria-label={`Compare ${title} with now`}
        >
          Compare with now
        </Button>
        {access.canRestore ? <RestoreButton releaseId={releaseId} version={version} /> : null}
        {access.canCopy ? <CopyVersionButton releaseId={releaseId} version={version} /> : null}
      </div>
    </li>
  );
}

function VersionSelect({
  id,
  label,
  value,
  onChange,
  versions,
  withCurrent = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  versions: readonly Version[];
  withCurrent?: boolean;
}) {
  return (
    <div className="grid min-w-0 gap-1">
      <Label htmlFor={id} className="text-xs">
        {label}
      </Label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="border-input bg-background h-8 w-full min-w-0 rounded-md border px-2 text-sm"
        data-testid={id}
      >
        {withCurrent ? (
          <option value="current">Now (current sheet)</option>
        ) : (
          <option value="">Choose a version</option>
        )}
        {versions.map((version) => (
          <option key={version.versionId} value={version.versionId}>
            {versionTitle(version)} · {formatDateTime(version.createdAt)}
          </option>
        ))}
      </select>
    </div>
  );
}

function SaveVersionForm({ releaseId }: { releaseId: string }) {
  const [name, setName] = useState('');
  const save = useApiMutation(
    (api, versionName: string) => api.history.saveVersion(releaseId, { name: versionName }),
    () => staleAfter.versionSaved(releaseId),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    save.mutate(trimmed, {
      onSuccess: (version) => {
        setName('');
        toast.success(`Saved “${version.name ?? trimmed}”`);
      },
    });
  }

  return (
    <form className="grid gap-2" onSubmit={onSubmit} data-testid="history-save-form">
      <Label htmlFor="version-name">Save this version as</Label>
      <div className="flex gap-2">
        <Input
          id="version-name"
          maxLength={100}
          placeholder="e.g. Sent to distributor 3 Dec"
          value={name}
          onChange={(event) => setName(event.target.value)}
          data-testid="history-version-name"
        />
        <Button type="submit" disabled={save.isPending || !name.trim()} data-testid="history-save">
          {save.isPending ? 'Saving…' : 'Save version'}
        </Button>
      </div>
      <FormMessage message={save.error ? errorMessage(save.error) : null} testId="history-save-error" />
    </form>
  );
}
