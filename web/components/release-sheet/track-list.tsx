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
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { fieldDomId } from '@/lib/collab/field-ids';
import { useSheet } from './sheet-context';
import { TrackRow } from './track-row';

/**
 * The tracks in display order. Reordering (drag and drop, keyboard dragging, or the up/down
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
                />
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}
    </section>
  );
}
