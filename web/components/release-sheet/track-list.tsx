'use client';

import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { addTrack, fieldPath, moveTrack, removeTrack, type Track } from '@patchline/shared';
import { PlusIcon } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { fieldDomId } from '@/lib/collab/field-ids';
import { BulkEditToolbar } from './bulk-edit-toolbar';
import { useSheet } from './sheet-context';
import { TrackRow } from './track-row';

/**
 * Which tracks are selected for a bulk edit: a click toggles one, a Shift-click sets the range from
 * the last clicked track to this one to this one's new state. Tracks that leave the list leave
 * the selection.
 */
function useTrackSelection(ids: readonly string[]) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const selected = useMemo(() => new Set(ids.filter((id) => chosen.has(id))), [ids, chosen]);

  const toggle = (trackId: string, isShiftClick: boolean) => {
    const isSelected = !selected.has(trackId);
    const from = anchor.current ? ids.indexOf(anchor.current) : -1;
    const to = ids.indexOf(trackId);
    const range =
      isShiftClick && from >= 0 ? ids.slice(Math.min(from, to), Math.max(from, to) + 1) : [trackId];
    const next = new Set(selected);
    for (const id of range) {
      if (isSelected) next.add(id);
      else next.delete(id);
    }
    anchor.current = trackId;
    setChosen(next);
  };
  const setAll = (isSelected: boolean) => {
    anchor.current = null;
    setChosen(isSelected ? new Set(ids) : new Set());
  };
  return { selected, toggle, setAll };
}

/**
 * The tracks in display order, with checkboxes to select several for a bulk edit
 * (`BulkEditToolbar`). Reordering (drag and drop, keyboard dragging, or the up/down
 * buttons) goes through `moveTrack`, which only rewrites the moved track's fractional position,
 * so a collaborator's concurrent edit of that track survives the move.
 */
export function TrackList({ tracks }: { tracks: readonly Track[] }) {
  const { doc, edit, canEdit, problemsFor } = useSheet();
  const [focusTrackId, setFocusTrackId] = useState<string | null>(null);
  const canAdd = canEdit(fieldPath.track('new'));
  const sensors = useSensors(
    // A small distance keeps clicks in inputs and buttons from starting a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = tracks.map((track) => track.id);
  const listProblems = problemsFor('tracks');
  const selection = useTrackSelection(ids);

  useEffect(() => {
    if (!focusTrackId) return;
    const input = document.getElementById(fieldDomId(fieldPath.trackField(focusTrackId, 'title')));
    if (input) {
      input.focus();
      setFocusTrackId(null);
    }
  }, [focusTrackId]);

  const move = (trackId: string, index: number) => edit(() => moveTrack(doc, trackId, index));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const to = ids.indexOf(String(over.id));
    if (to >= 0) move(String(active.id), to);
  };

  return (
    <section aria-labelledby="section-tracks" className="rounded-lg border bg-card p-4 sm:p-5">
      <div className="mb-4 flex items-center justify-between gap-2">
        <h2 id="section-tracks" className="text-sm font-semibold tracking-tight">
          Tracks <span className="font-normal text-muted-foreground">({tracks.length})</span>
        </h2>
        <Button
          id="add-track"
          data-testid="add-track"
          size="sm"
          disabled={!canAdd}
          onClick={() => {
            const created: { id: string | null } = { id: null };
            edit(() => {
              created.id = addTrack(doc, {});
            });
            setFocusTrackId(created.id);
          }}
        >
          <PlusIcon aria-hidden /> Add track
        </Button>
      </div>
      {tracks.length > 0 ? (
        <label className="mb-3 flex w-fit items-center gap-2 text-sm text-muted-foreground">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            data-testid="select-all-tracks"
            checked={selection.selected.size === tracks.length}
            ref={(input) => {
              if (input)
                input.indeterminate = selection.selected.size > 0 && selection.selected.size < tracks.length;
            }}
            onChange={() => selection.setAll(selection.selected.size < tracks.length)}
          />
          Select all tracks (Shift-click a box to select a range)
        </label>
      ) : null}
      {selection.selected.size > 0 ? (
        <BulkEditToolbar
          tracks={tracks}
          selectedIds={ids.filter((id) => selection.selected.has(id))}
          onClear={() => selection.setAll(false)}
        />
      ) : null}
      {listProblems.length > 0 ? (
        <p className="mb-3 text-xs text-destructive">
          {listProblems.map((problem) => problem.message).join(' ')}
        </p>
      ) : null}
      {tracks.length === 0 ? (
        <p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">
          No tracks yet.
        </p>
      ) : (
        <DndContext
          id="track-list"
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
        >
          <SortableContext items={ids} strategy={verticalListSortingStrategy}>
            <ol className="flex flex-col gap-3" aria-label="Tracks">
              {tracks.map((track, index) => (
                <TrackRow
                  key={track.id}
                  track={track}
                  index={index}
                  count={tracks.length}
                  onMove={move}
                  onRemove={(trackId) => edit(() => removeTrack(doc, trackId))}
                  selection={{
                    isSelected: selection.selected.has(track.id),
                    onToggle: (isShiftClick) => selection.toggle(track.id, isShiftClick),
                  }}
                />
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}
    </section>
  );
}
