'use client';

import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { fieldPath, setTrackFields, type Track, type TrackScalarFields } from '@patchline/shared';
import { ArrowDownIcon, ArrowUpIcon, ChevronDownIcon, GripVerticalIcon, Trash2Icon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import { displayDuration, storedDuration, storedIsrc, storedIswc } from './field-values';
import { useSheet } from './sheet-context';
import { CheckboxField, TextField } from './sheet-fields';
import { TrackContributors } from './track-contributors';

interface TrackRowProps {
  track: Track;
  index: number;
  count: number;
  onMove: (trackId: string, index: number) => void;
  onRemove: (trackId: string) => void;
  /** The row's checkbox for bulk edits (track-list.tsx). */
  selection?: { isSelected: boolean; onToggle: (isShiftClick: boolean) => void };
}

/** One track: drag handle, inline fields, move/remove buttons and its credits and splits. */
export function TrackRow({ track, index, count, onMove, onRemove, selection }: TrackRowProps) {
  const { doc, edit, canEdit, expandedTracks, setTrackExpanded, problemsFor } = useSheet();
  const canChangeList = canEdit(fieldPath.track(track.id));
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({ id: track.id, disabled: !canChangeList });
  const isExpanded = expandedTracks.has(track.id);
  const path = (field: string) => fieldPath.trackField(track.id, field);
  const write = (fields: Partial<TrackScalarFields>) => edit(() => setTrackFields(doc, track.id, fields));
  const name = track.title.trim() || `Track ${index + 1}`;
  const panelId = `track-${track.id}-contributors`;
  const contributorProblems = problemsFor(path('splits')).length + problemsFor(path('credits')).length;

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(
        'rounded-lg border bg-card shadow-xs',
        isDragging && 'relative z-10 shadow-lg ring-2 ring-ring/40',
      )}
      data-testid={`track-${track.id}`}
      aria-label={`Track ${index + 1}: ${name}`}
    >
      <div className="flex items-start gap-2 p-3">
        <div className="flex flex-col items-center gap-1 pt-5">
          {selection ? (
            <input
              type="checkbox"
              className="size-4 accent-primary"
              aria-label={`Select track ${index + 1}, ${name}`}
              data-testid={`select-track-${track.id}`}
              checked={selection.isSelected}
              // React reports a checkbox's change from its click, which carries the Shift key.
              onChange={(event) =>
                selection.onToggle('shiftKey' in event.nativeEvent && Boolean(event.nativeEvent.shiftKey))
              }
            />
          ) : null}
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            disabled={!canChangeList}
            aria-label={`Reorder track ${index + 1}, ${name}`}
            className="flex size-8 cursor-grab touch-none items-center justify-center rounded-md text-muted-foreground hover:bg-accent active:cursor-grabbing disabled:cursor-default disabled:opacity-40"
          >
            <GripVerticalIcon className="size-4" aria-hidden />
          </button>
          <span className="text-xs font-semibold tabular-nums text-muted-foreground" aria-hidden>
            {index + 1}
          </span>
        </div>
        <div className="grid min-w-0 flex-1 grid-cols-2 gap-x-3 gap-y-3 md:grid-cols-6">
          <TextField
            path={path('title')}
            label="Title"
            className="col-span-2 md:col-span-3"
            value={track.title}
            onWrite={(title) => write({ title })}
          />
          <TextField
            path={path('version')}
            label="Version"
            className="md:col-span-2"
            value={track.version}
            onWrite={(version) => write({ version })}
            inputProps={{ placeholder: 'e.g. Radio Edit' }}
          />
          <CheckboxField
            path={path('explicit')}
            label="Explicit"
            className="md:col-span-1"
            checked={track.explicit}
            onWrite={(explicit) => write({ explicit })}
          />
          <TextField
            path={path('isrc')}
            label="ISRC"
            className="col-span-2 md:col-span-2"
            value={track.isrc}
            onWrite={(isrc) => write({ isrc })}
            normalize={storedIsrc}
            inputProps={{ placeholder: 'CC-XXX-YY-NNNNN', className: 'font-mono uppercase' }}
          />
          <TextField
            path={path('duration')}
            label="Duration"
            mode="commit"
            value={displayDuration(track.duration)}
            normalize={(input) => displayDuration(storedDuration(input))}
            onWrite={(input) => write({ duration: storedDuration(input) })}
            inputProps={{ placeholder: 'm:ss', inputMode: 'numeric', className: 'tabular-nums' }}
          />
          <TextField
            path={path('iswc')}
            label="ISWC"
            className="md:col-span-2"
            value={track.iswc}
            onWrite={(iswc) => write({ iswc })}
            normalize={storedIswc}
            inputProps={{ placeholder: 'T-000.000.000-0', className: 'font-mono' }}
          />
          <TextField
            path={path('language')}
            label="Language"
            value={track.language}
            onWrite={(language) => write({ language })}
            inputProps={{ placeholder: 'e.g. en' }}
          />
          <TextField
            path={path('artists')}
            label="Artists"
            className="col-span-2 md:col-span-6"
            value={track.artists}
            onWrite={(artists) => write({ artists })}
            inputProps={{ placeholder: "The release's artist, unless this track has its own" }}
          />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-1 border-t px-3 py-1.5">
        <Button
          variant="ghost"
          size="sm"
          aria-expanded={isExpanded}
          aria-controls={panelId}
          onClick={() => setTrackExpanded(track.id, !isExpanded)}
        >
          <ChevronDownIcon className={cn('transition-transform', isExpanded && 'rotate-180')} aria-hidden />
          Credits ({track.credits.length}) & splits ({track.splits.length})
          {contributorProblems > 0 ? (
            <span className="rounded bg-destructive px-1 text-[10px] text-white">{contributorProblems}</span>
          ) : null}
        </Button>
        <div className="ml-auto flex items-center gap-1">
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            disabled={!canChangeList || index === 0}
            onClick={() => onMove(track.id, index - 1)}
            aria-label={`Move track ${index + 1} up`}
            data-testid={`move-up-${track.id}`}
          >
            <ArrowUpIcon aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            disabled={!canChangeList || index === count - 1}
            onClick={() => onMove(track.id, index + 1)}
            aria-label={`Move track ${index + 1} down`}
            data-testid={`move-down-${track.id}`}
          >
            <ArrowDownIcon aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            className="size-8 text-destructive hover:text-destructive"
            disabled={!canChangeList}
            onClick={() => onRemove(track.id)}
            aria-label={`Remove track ${index + 1}, ${name}`}
            data-testid={`remove-track-${track.id}`}
          >
            <Trash2Icon aria-hidden />
          </Button>
        </div>
      </div>
      {isExpanded ? <TrackContributors id={panelId} track={track} /> : null}
    </li>
  );
}
