'use client';

import {
  addCreditToTracks,
  fieldPath,
  fillDown,
  planIsrcRenumbering,
  renumberIsrcs,
  setFieldsOfTracks,
  type Track,
  type TrackScalarFields,
} from '@patchline/shared';
import { XIcon } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useSheet } from './sheet-context';

/** Track fields a bulk "set" or "fill down" writes, as the track row labels them. */
const BULK_FIELDS = {
  artists: 'Artists',
  language: 'Language',
  explicit: 'Explicit',
  version: 'Version',
} as const satisfies Partial<Record<keyof TrackScalarFields, string>>;
type BulkField = keyof typeof BULK_FIELDS;

const SELECT_CLASS =
  'h-8 rounded-md border border-input bg-transparent px-2 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring/50 disabled:opacity-50';

/**
 * Edits of the selected tracks at once (docs/DELIVERY.md, "Bulk edit"): set a field, add a
 * credit, fill a column down from the first selected track, renumber ISRCs from a first code.
 * Each is one edit (`@patchline/shared` bulk-edit.ts): one update on the wire, judged whole by
 * the server, one undo step. A control is disabled when the role may not change that field of
 * every selected track, exactly as the single-track field would be.
 */
export function BulkEditToolbar({
  tracks,
  selectedIds,
  onClear,
}: {
  /** Every track, in display order. */
  tracks: readonly Track[];
  selectedIds: readonly string[];
  onClear: () => void;
}) {
  const { doc, edit, canEdit, newUndoStep } = useSheet();
  const ids = useId();
  const [field, setField] = useState<BulkField>('language');
  const [value, setValue] = useState('');
  const [isExplicit, setIsExplicit] = useState(true);
  const [fillField, setFillField] = useState<BulkField>('language');
  const [credit, setCredit] = useState({ name: '', role: '' });
  const [firstIsrc, setFirstIsrc] = useState('');
  const [isrcProblem, setIsrcProblem] = useState<string | null>(null);

  const mayEditAll = (name: string) => selectedIds.every((id) => canEdit(fieldPath.trackField(id, name)));
  /** One bulk edit, its own undo step whatever was typed just before it. */
  const bulk = (change: () => void) => {
    newUndoStep();
    edit(change);
    newUndoStep();
  };
  const submit = (event: FormEvent, run: () => void) => {
    event.preventDefault();
    run();
  };
  const count = selectedIds.length;

  return (
    <div
      role="toolbar"
      aria-label={`Bulk edit of ${count} selected ${count === 1 ? 'track' : 'tracks'}`}
      data-testid="bulk-edit-toolbar"
      className="mb-3 flex flex-col gap-2 rounded-md border border-dashed bg-muted/40 p-3 text-sm"
    >
      <div className="flex items-center justify-between gap-2">
        <span className="font-medium" data-testid="bulk-selected-count">
          {count} selected
        </span>
        <Button variant="ghost" size="sm" onClick={onClear}>
          <XIcon aria-hidden /> Clear selection
        </Button>
      </div>

      <form
        className="flex flex-wrap items-center gap-2"
        aria-label="Set a field on the selected tracks"
        onSubmit={(event) =>
          submit(event, () => {
            const fields = (
              field === 'explicit' ? { explicit: isExplicit } : { [field]: value.trim() }
            ) as Partial<TrackScalarFields>;
            bulk(() => setFieldsOfTracks(doc, selectedIds, fields));
          })
        }
      >
        <label htmlFor={`${ids}-field`}>Set</label>
        <select
          id={`${ids}-field`}
          data-testid="bulk-set-field"
          className={SELECT_CLASS}
          value={field}
          onChange={(event) => setField(event.target.value as BulkField)}
        >
          {Object.entries(BULK_FIELDS).map(([name, label]) => (
            <option key={name} value={name} disabled={!mayEditAll(name)}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-value`}>to</label>
        {field === 'explicit' ? (
          <select
            id={`${ids}-value`}
            data-testid="bulk-set-value"
            className={SELECT_CLASS}
            value={isExplicit ? 'yes' : 'no'}
            onChange={(event) => setIsExplicit(event.target.value === 'yes')}
          >
            <option value="yes">Explicit</option>
            <option value="no">Not explicit</option>
          </select>
        ) : (
          <Input
            id={`${ids}-value`}
            data-testid="bulk-set-value"
            className="h-8 w-48"
            value={value}
            placeholder={field === 'language' ? 'e.g. en' : ''}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
        <Button type="submit" size="sm" data-testid="bulk-set-apply" disabled={!mayEditAll(field)}>
          Apply to {count}
        </Button>
      </form>

      <form
        className="flex flex-wrap items-center gap-2"
        aria-label="Fill a column down"
        onSubmit={(event) => submit(event, () => bulk(() => fillDown(doc, selectedIds, fillField)))}
      >
        <label htmlFor={`${ids}-fill`}>Fill down</label>
        <select
          id={`${ids}-fill`}
          data-testid="bulk-fill-field"
          className={SELECT_CLASS}
          value={fillField}
          onChange={(event) => setFillField(event.target.value as BulkField)}
        >
          {Object.entries(BULK_FIELDS).map(([name, label]) => (
            <option key={name} value={name} disabled={!mayEditAll(name)}>
              {label}
            </option>
          ))}
        </select>
        <Button
          type="submit"
          size="sm"
          variant="outline"
          data-testid="bulk-fill-apply"
          disabled={count < 2 || !mayEditAll(fillField)}
        >
          From the first selected track
        </Button>
      </form>

      <form
        className="flex flex-wrap items-center gap-2"
        aria-label="Add a credit to the selected tracks"
        onSubmit={(event) =>
          submit(event, () => {
            bulk(() => addCreditToTracks(doc, selectedIds, credit));
            setCredit({ name: '', role: '' });
          })
        }
      >
        <span>Add credit</span>
        <Input
          aria-label="Credit name"
          data-testid="bulk-credit-name"
          className="h-8 w-40"
          placeholder="Name"
          value={credit.name}
          onChange={(event) => setCredit({ ...credit, name: event.target.value })}
        />
        <Input
          aria-label="Credit role"
          data-testid="bulk-credit-role"
          className="h-8 w-40"
          placeholder="Role, e.g. Producer"
          value={credit.role}
          onChange={(event) => setCredit({ ...credit, role: event.target.value })}
        />
        <Button
          type="submit"
          size="sm"
          variant="outline"
          data-testid="bulk-credit-apply"
          disabled={!credit.name.trim() || !credit.role.trim() || !mayEditAll('credits')}
        >
          Add to {count}
        </Button>
      </form>

      <form
        className="flex flex-wrap items-center gap-2"
        aria-label="Renumber ISRCs"
        onSubmit={(event) =>
          submit(event, () => {
            // Checked here first to say why inline; `renumberIsrcs` checks again and refuses alike.
            const plan = planIsrcRenumbering(tracks, selectedIds, firstIsrc);
            setIsrcProblem(plan.ok ? null : plan.message);
            if (plan.ok) bulk(() => renumberIsrcs(doc, selectedIds, firstIsrc));
          })
        }
      >
        <label htmlFor={`${ids}-isrc`}>Renumber ISRCs from</label>
        <Input
          id={`${ids}-isrc`}
          data-testid="bulk-isrc-first"
          className="h-8 w-44 font-mono uppercase"
          placeholder="CC-XXX-YY-NNNNN"
          value={firstIsrc}
          aria-invalid={isrcProblem !== null}
          aria-describedby={isrcProblem ? `${ids}-isrc-problem` : undefined}
          onChange={(event) => {
            setFirstIsrc(event.target.value);
            setIsrcProblem(null);
          }}
        />
        <Button
          type="submit"
          size="sm"
          variant="outline"
          data-testid="bulk-isrc-apply"
          disabled={!firstIsrc.trim() || !mayEditAll('isrc')}
        >
          Renumber {count}
        </Button>
        {isrcProblem ? (
          <p
            id={`${ids}-isrc-problem`}
            role="alert"
            className="w-full text-destructive"
            data-testid="bulk-isrc-problem"
          >
            {isrcProblem}
          </p>
        ) : null}
      </form>
    </div>
  );
}
