'use client';

import { ACTIVITY_KINDS, type ActivityKind, type Track } from '@patchline/shared';
import { useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { RelativeTime } from '@/components/relative-time';
import { describePath } from '@/components/release-sheet/problems-panel';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useActivity } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { ACTIVITY_KIND_LABELS, personName } from './history-format';

/** Edits (grouped by person), versions, sharing and role changes, status changes; filters by kind. */
export function ActivityFeed({ releaseId, tracks }: { releaseId: string; tracks: readonly Track[] }) {
  const [kinds, setKinds] = useState<readonly ActivityKind[]>(ACTIVITY_KINDS);
  const activity = useActivity(releaseId, kinds, kinds.length > 0);
  const items = activity.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="grid gap-3" data-testid="history-activity">
      <fieldset className="flex flex-wrap gap-1">
        <legend className="text-muted-foreground mb-1 text-xs">Show</legend>
        {ACTIVITY_KINDS.map((kind) => {
          const isOn = kinds.includes(kind);
          return (
            <Button
              key={kind}
              type="button"
              size="sm"
              variant={isOn ? 'secondary' : 'outline'}
              aria-pressed={isOn}
              onClick={() =>
                setKinds((current) => (isOn ? current.filter((k) => k !== kind) : [...current, kind]))
              }
              data-testid={`activity-filter-${kind}`}
            >
              {ACTIVITY_KIND_LABELS[kind]}
            </Button>
          );
        })}
      </fieldset>
      {kinds.length === 0 ? (
        <p className="text-muted-foreground text-sm">Choose what to show.</p>
      ) : activity.error ? (
        <FormMessage message={errorMessage(activity.error)} testId="history-activity-error" />
      ) : activity.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : items.length === 0 ? (
        <p className="text-muted-foreground text-sm" role="status">
          Nothing yet.
        </p>
      ) : (
        <ol className="grid gap-2" aria-label="Activity, newest first">
          {items.map((item) => (
            <li
              key={`${item.kind}:${item.at}:${item.actor?.userId ?? ''}:${item.versionId ?? item.summary}`}
              className="grid gap-0.5 rounded-md border p-2 text-sm"
              data-testid="activity-item"
              data-kind={item.kind}
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{personName(item.actor)}</span>
                <span className="text-muted-foreground text-xs">{ACTIVITY_KIND_LABELS[item.kind]}</span>
                <RelativeTime iso={item.at} className="text-muted-foreground ml-auto text-xs" />
              </div>
              <p>{item.summary}</p>
              {item.paths && item.paths.length > 0 ? (
                <p className="text-muted-foreground text-xs">
                  {item.paths.map((path) => describePath(path, tracks)).join(', ')}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {activity.hasNextPage ? (
        <Button
          variant="outline"
          size="sm"
          className="justify-self-start"
          disabled={activity.isFetchingNextPage}
          onClick={() => activity.fetchNextPage()}
        >
          {activity.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </Button>
      ) : null}
    </div>
  );
}
