'use client';

import {
  type ColumnMapping,
  type FieldChange,
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  IMPORT_LIMITS,
  type ImportField,
  type ImportPreview,
} from '@patchline/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type ChangeEvent, useId, useRef, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { toast } from '@/components/toaster';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { invalidate, staleAfter } from '@/hooks/api-queries';
import { errorMessage, usePatchlineApi } from '@/lib/api-client';

/** The file as the API takes it: base64 in JSON (docs/IMPORT.md, "REST"). */
interface PickedFile {
  fileName: string;
  contentBase64: string;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with 2 MB of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const shown = (value: unknown): string =>
  value === undefined || value === null || value === ''
    ? '—'
    : Array.isArray(value)
      ? value
          .map((entry) => (typeof entry === 'object' ? Object.values(entry).join(' ') : String(entry)))
          .join('; ')
      : String(value);

const labelOf = (field: string) =>
  IMPORT_FIELD_LABELS[`release.${field}` as ImportField] ??
  IMPORT_FIELD_LABELS[`track.${field}` as ImportField] ??
  field;

function Changes({ changes }: { changes: readonly FieldChange[] }) {
  return (
    <ul className="grid gap-0.5 text-xs">
      {changes.map((change) => (
        <li key={change.path}>
          <span className="font-medium">{labelOf(change.field)}</span>:{' '}
          <span className="text-muted-foreground line-through">{shown(change.before)}</span> →{' '}
          {shown(change.after)}
        </li>
      ))}
    </ul>
  );
}

/**
 * Import a spreadsheet (.csv, .xlsx) or a DDEX message: pick a file, correct the column mapping,
 * see what would change and every problem per cell, then apply. Into `releaseId` when given
 * (one edit, live for everyone), else into a new release that opens once it exists.
 */
export function ImportDialog({
  open,
  onOpenChange,
  releaseId,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  releaseId?: string;
}) {
  const api = usePatchlineApi();
  const queryClient = useQueryClient();
  const router = useRouter();
  const fileInputId = useId();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping[] | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'reading' | 'applying' | null>(null);
  const latestPreview = useRef(0);

  const reset = () => {
    latestPreview.current++; // an answer still on its way belongs to the file just dropped
    setFile(null);
    setMapping(null);
    setPreview(null);
    setError(null);
    setBusy(null);
  };

  const load = async (picked: PickedFile, chosen: ColumnMapping[] | null) => {
    // Mapping changes in quick succession: only the answer to the last one is shown.
    const request = ++latestPreview.current;
    setBusy('reading');
    setError(null);
    try {
      const result = await api.imports.preview({
        ...picked,
        ...(chosen ? { mapping: chosen } : {}),
        ...(releaseId ? { releaseId } : {}),
      });
      if (request !== latestPreview.current) return;
      setPreview(result);
      setMapping(result.columns.map((column) => column.field));
    } catch (caught) {
      if (request !== latestPreview.current) return;
      setPreview(null);
      setError(errorMessage(caught));
    } finally {
      if (request === latestPreview.current) setBusy(null);
    }
  };

  const onPick = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setPreview(null);
    setMapping(null);
    if (chosen.size > IMPORT_LIMITS.maxFileBytes) {
      setFile(null);
      setError(
        `The file is larger than ${IMPORT_LIMITS.maxFileBytes / (1024 * 1024)} MB; an import may be at most that`,
      );
      return;
    }
    const picked = { fileName: chosen.name, contentBase64: await base64Of(chosen) };
    setFile(picked);
    await load(picked, null);
  };

  const onMap = (index: number, value: string) => {
    if (!file || !mapping) return;
    const next = mapping.map((field, i) => {
      if (i === index) return value ? (value as ImportField) : null;
      // One column per field: the column that had it gives it up.
      return field === value ? null : field;
    });
    void load(file, next);
  };

  const apply = async () => {
    if (!file) return;
    setBusy('applying');
    setError(null);
    const body = { ...file, ...(mapping && preview?.format !== 'ddex' ? { mapping } : {}) };
    try {
      const result = await api.imports.apply(releaseId ?? null, body);
      const { undo } = result;
      if (releaseId && undo) {
        void invalidate(queryClient, staleAfter.versionSaved(releaseId));
        // The import is a server edit, outside this page's undo stack: "Undo" restores what it
        // wrote from the version kept just before it (README.md, "Version history").
        toast.success('Import applied', {
          duration: 20_000,
          action: {
            label: 'Undo import',
            onClick: () => {
              api.history
                .restore(releaseId, undo.versionId, { paths: undo.paths })
                .then(() => {
                  toast.success('Import undone');
                  return invalidate(queryClient, staleAfter.restored(releaseId));
                })
                .catch((caught: unknown) =>
                  toast.error(`Could not undo the import: ${errorMessage(caught)}`),
                );
            },
          },
        });
      } else {
        toast.success(releaseId ? 'Import applied' : 'Release created from the import');
      }
      onOpenChange(false);
      reset();
      if (!releaseId) router.push(`/releases/${result.releaseId}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(null);
    }
  };

  const plan = preview?.plan;
  const errors = preview?.problems.filter((p) => p.severity === 'error').length ?? 0;
  const changeCount = plan ? plan.release.length + plan.added.length + plan.changed.length : 0;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
    >
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-3xl" data-testid="import-dialog">
        <DialogHeader>
          <DialogTitle>{releaseId ? 'Import into this release' : 'Import a release'}</DialogTitle>
          <DialogDescription>
            A spreadsheet (.csv or .xlsx, one row per track) or a DDEX ERN 4.3 message (.xml), up to 2 MB and
            2,000 rows. Nothing is written until you apply.
          </DialogDescription>
        </DialogHeader>

        <div className="grid gap-2">
          <Label htmlFor={fileInputId}>File</Label>
          <input
            id={fileInputId}
            type="file"
            accept=".csv,.xlsx,.xml,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/xml"
            onChange={(event) => void onPick(event)}
            className="text-sm file:mr-3 file:rounded-md file:border file:bg-transparent file:px-3 file:py-1"
            data-testid="import-file"
          />
        </div>

        {busy === 'reading' ? (
          <p role="status" className="text-muted-foreground text-sm">
            Reading the file…
          </p>
        ) : null}
        <FormMessage message={error} testId="import-error" />

        {preview && preview.columns.length > 0 ? (
          <section aria-labelledby="import-mapping" className="grid gap-2">
            <h3 id="import-mapping" className="text-sm font-medium">
              Columns ({preview.rowCount} {preview.rowCount === 1 ? 'row' : 'rows'})
            </h3>
            <ul className="grid gap-1.5 sm:grid-cols-2" data-testid="import-mapping">
              {preview.columns.map((column) => (
                <li
                  key={column.index}
                  className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] items-center gap-2"
                >
                  <label
                    htmlFor={`${fileInputId}-col-${column.index}`}
                    className="truncate text-sm"
                    title={column.header}
                  >
                    {column.header || `Column ${column.index + 1}`}
                  </label>
                  <select
                    id={`${fileInputId}-col-${column.index}`}
                    className="border-input h-8 rounded-md border bg-transparent px-2 text-sm"
                    value={mapping?.[column.index] ?? ''}
                    disabled={busy !== null}
                    onChange={(event) => onMap(column.index, event.target.value)}
                    data-testid={`import-map-${column.index}`}
                  >
                    <option value="">Don’t import</option>
                    {IMPORT_FIELDS.map((field) => (
                      <option key={field} value={field}>
                        {IMPORT_FIELD_LABELS[field]}
                      </option>
                    ))}
                  </select>
                </li>
              ))}
            </ul>
            {preview.unmappedColumns.length > 0 ? (
              <p className="text-muted-foreground text-xs" data-testid="import-unmapped">
                Not imported: {preview.unmappedColumns.map((h) => h || '(no header)').join(', ')}
              </p>
            ) : null}
          </section>
        ) : null}

        {preview && plan ? (
          <section aria-labelledby="import-preview" className="grid gap-3" data-testid="import-preview">
            <h3 id="import-preview" className="text-sm font-medium">
              What changes
            </h3>
            {changeCount === 0 ? (
              <p className="text-sm">Nothing: the release already holds all of it.</p>
            ) : null}
            {plan.release.length > 0 ? (
              <div className="grid gap-1">
                <h4 className="text-xs font-medium uppercase text-muted-foreground">Release</h4>
                <Changes changes={plan.release} />
              </div>
            ) : null}
            {plan.added.length > 0 ? (
              <div className="grid gap-1" data-testid="import-added">
                <h4 className="text-xs font-medium uppercase text-muted-foreground">
                  {plan.added.length} {plan.added.length === 1 ? 'track' : 'tracks'} added
                </h4>
                <ol className="list-decimal pl-5 text-xs">
                  {plan.added.slice(0, 50).map((track) => (
                    <li key={track.row}>{track.title || '(untitled)'}</li>
                  ))}
                </ol>
                {plan.added.length > 50 ? (
                  <p className="text-xs">… and {plan.added.length - 50} more</p>
                ) : null}
              </div>
            ) : null}
            {plan.changed.length > 0 ? (
              <div className="grid gap-1" data-testid="import-changed">
                <h4 className="text-xs font-medium uppercase text-muted-foreground">
                  {plan.changed.length} {plan.changed.length === 1 ? 'track' : 'tracks'} changed
                </h4>
                {plan.changed.slice(0, 50).map((track) => (
                  <div key={track.row}>
                    <p className="text-xs font-medium">
                      Row {track.row}: {track.title || '(untitled)'}
                    </p>
                    <Changes changes={track.changes} />
                  </div>
                ))}
              </div>
            ) : null}
            {preview.problems.length > 0 ? (
              <div className="grid gap-1">
                <h4 className="text-xs font-medium uppercase text-muted-foreground">
                  {preview.problems.length} {preview.problems.length === 1 ? 'problem' : 'problems'}
                  {errors > 0 ? ` (${errors} ${errors === 1 ? 'cell is' : 'cells are'} left out)` : ''}
                </h4>
                <table className="w-full text-left text-xs" data-testid="import-problems">
                  <thead>
                    <tr>
                      <th scope="col">Row</th>
                      <th scope="col">Column</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.problems.slice(0, 200).map((problem) => (
                      <tr key={`${problem.row}:${problem.column}:${problem.message}`}>
                        <td>{problem.row}</td>
                        <td>{problem.header || `Column ${problem.column + 1}`}</td>
                        <td className={problem.severity === 'error' ? 'text-destructive' : ''}>
                          {problem.severity === 'error' ? 'Left out: ' : 'Imported, check: '}
                          {problem.message}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <FormMessage message={preview.refusal?.message} testId="import-refusal" />
          </section>
        ) : null}

        <DialogFooter>
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            type="button"
            disabled={
              !preview ||
              busy !== null ||
              preview.refusal !== null ||
              (releaseId !== undefined && changeCount === 0)
            }
            onClick={() => void apply()}
            data-testid="import-apply"
          >
            {busy === 'applying' ? 'Importing…' : releaseId ? 'Apply import' : 'Create release'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
