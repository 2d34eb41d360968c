'use client';

import {
  addCredit,
  addSplit,
  fieldPath,
  removeTrackEntry,
  type Track,
  updateTrackEntry,
} from '@patchline/shared';
import { PlusIcon, XIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { fieldDomId } from '@/lib/collab/field-ids';
import { parseShare } from './field-values';
import { useSheet } from './sheet-context';
import { TextField } from './sheet-fields';

const formatShare = (share: number) => String(Math.round(share * 100) / 100);

/**
 * Credits and publishing splits of one track. Each entry is a Y.Map in a Y.Array, so two people
 * editing different entries, or different fields of one entry, both keep their edits.
 */
export function TrackContributors({ id, track }: { id: string; track: Track }) {
  const { doc, edit, canEdit, problemsFor } = useSheet();
  const creditsPath = fieldPath.trackField(track.id, 'credits');
  const splitsPath = fieldPath.trackField(track.id, 'splits');
  const entryPath = (list: string, entryId: string, field: string) =>
    `${fieldPath.trackField(track.id, list)}.${entryId}.${field}`;
  const canChange = canEdit(creditsPath);
  const total = track.splits.reduce((sum, split) => sum + split.share, 0);
  const splitProblems = problemsFor(splitsPath);

  return (
    <div id={id} className="grid gap-6 border-t bg-muted/30 p-3 md:grid-cols-2">
      <fieldset className="flex min-w-0 flex-col gap-3">
        <legend className="mb-2 text-sm font-semibold">Credits</legend>
        {track.credits.length === 0 ? (
          <p className="text-xs text-muted-foreground">No credits yet: producers, mixers, musicians…</p>
        ) : null}
        {track.credits.map((credit, index) => (
          <div key={credit.id} className="flex items-end gap-2">
            <TextField
              path={entryPath('credits', credit.id, 'name')}
              label="Name"
              isLabelHidden={index > 0}
              className="flex-1"
              value={credit.name}
              onWrite={(name) => edit(() => updateTrackEntry(doc, track.id, 'credits', credit.id, { name }))}
            />
            <TextField
              path={entryPath('credits', credit.id, 'role')}
              label="Role"
              isLabelHidden={index > 0}
              className="flex-1"
              value={credit.role}
              onWrite={(role) => edit(() => updateTrackEntry(doc, track.id, 'credits', credit.id, { role }))}
              inputProps={{ placeholder: 'e.g. Producer' }}
            />
            <Button
              variant="ghost"
              size="icon"
              className="shrink-0"
              disabled={!canChange}
              aria-label={`Remove credit ${credit.name || index + 1}`}
              onClick={() => edit(() => removeTrackEntry(doc, track.id, 'credits', credit.id))}
            >
              <XIcon aria-hidden />
            </Button>
          </div>
        ))}
        <Button
          id={fieldDomId(creditsPath)}
          data-testid={fieldDomId(creditsPath)}
          variant="outline"
          size="sm"
          className="self-start"
          disabled={!canChange}
          onClick={() => edit(() => addCredit(doc, track.id, { name: '', role: '' }))}
        >
          <PlusIcon aria-hidden /> Add credit
        </Button>
      </fieldset>

      <fieldset
        className="flex min-w-0 flex-col gap-3"
        aria-describedby={splitProblems.length > 0 ? `${fieldDomId(splitsPath)}-problems` : undefined}
      >
        <legend className="mb-2 text-sm font-semibold">
          Publishing splits{' '}
          <span className="font-normal text-muted-foreground tabular-nums">
            · {formatShare(total)}% of 100%
          </span>
        </legend>
        {track.splits.map((split, index) => (
          <div key={split.id} className="flex items-end gap-2">
            <TextField
              path={entryPath('splits', split.id, 'party')}
              label="Party"
              isLabelHidden={index > 0}
              className="flex-[2]"
              value={split.party}
              onWrite={(party) => edit(() => updateTrackEntry(doc, track.id, 'splits', split.id, { party }))}
            />
            <TextField
              path={entryPath('splits', split.id, 'role')}
              label="Role"
              isLabelHidden={index > 0}
              className="flex-[2]"
              value={split.role}
              onWrite={(role) => edit(() => updateTrackEntry(doc, track.id, 'splits', split.id, { role }))}
              inputProps={{ placeholder: 'e.g. Writer' }}
            />
            <TextField
              path={entryPath('splits', split.id, 'share')}
              label="Share %"
              isLabelHidden={index > 0}
              className="w-20 shrink-0"
              mode="commit"
              value={formatShare(split.share)}
              normalize={(input) => {
                const share = parseShare(input);
                return share === null ? formatShare(split.share) : formatShare(share);
              }}
              onWrite={(input) => {
                const share = parseShare(input);
                if (share !== null)
                  edit(() => updateTrackEntry(doc, track.id, 'splits', split.id, { share }));
              }}
              inputProps={{ inputMode: 'decimal', className: 'tabular-nums' }}
            />
            <Button
              variant="ghost"
              size="icon"
              className="shrink-0"
              disabled={!canChange}
              aria-label={`Remove split ${split.party || index + 1}`}
              onClick={() => edit(() => removeTrackEntry(doc, track.id, 'splits', split.id))}
            >
              <XIcon aria-hidden />
            </Button>
          </div>
        ))}
        {splitProblems.length > 0 ? (
          <ul id={`${fieldDomId(splitsPath)}-problems`} className="text-xs text-destructive">
            {splitProblems.map((problem) => (
              <li key={`${problem.code}-${problem.message}`}>{problem.message}</li>
            ))}
          </ul>
        ) : null}
        <Button
          id={fieldDomId(splitsPath)}
          data-testid={fieldDomId(splitsPath)}
          variant="outline"
          size="sm"
          className="self-start"
          disabled={!canChange}
          onClick={() =>
            edit(() =>
              addSplit(doc, track.id, {
                party: '',
                role: '',
                share: Math.max(0, Math.round((100 - total) * 100) / 100),
              }),
            )
          }
        >
          <PlusIcon aria-hidden /> Add split
        </Button>
      </fieldset>
    </div>
  );
}
