'use client';

import {
  fieldPath,
  isIsoDate,
  PARENTAL_ADVISORIES,
  type ParentalAdvisory,
  RELEASE_TYPES,
  type ReleaseFields,
  type ReleaseType,
  setReleaseFields,
} from '@patchline/shared';
import type { ReactNode } from 'react';
import { displayTerritories, storedTerritories } from './field-values';
import { useSheet } from './sheet-context';
import { SelectField, TextField } from './sheet-fields';

const ADVISORY_LABELS: Record<ParentalAdvisory, string> = {
  explicit: 'Explicit',
  clean: 'Clean (edited version)',
  none: 'Not explicit',
};

type TextFieldName = {
  [K in keyof ReleaseFields]: ReleaseFields[K] extends string ? K : never;
}[keyof ReleaseFields];

interface TextSpec {
  field: TextFieldName;
  label: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'text';
  isDate?: boolean;
  className?: string;
}

const RELEASE_TEXT: TextSpec[] = [
  { field: 'title', label: 'Title', className: 'sm:col-span-2' },
  { field: 'version', label: 'Version', placeholder: 'e.g. Deluxe Edition' },
  { field: 'displayArtist', label: 'Display artist' },
  { field: 'genre', label: 'Genre' },
  { field: 'language', label: 'Language', placeholder: 'ISO 639, e.g. en' },
];

const LABEL_TEXT: TextSpec[] = [
  { field: 'label', label: 'Label' },
  { field: 'catalogNumber', label: 'Catalog number' },
  { field: 'upc', label: 'UPC / EAN', inputMode: 'numeric', placeholder: '12 or 13 digits' },
  { field: 'pLine', label: '℗ line', placeholder: 'e.g. 2026 Nightshift Records' },
  { field: 'cLine', label: '© line', placeholder: 'e.g. 2026 Nightshift Records' },
];

const DATE_TEXT: TextSpec[] = [
  { field: 'releaseDate', label: 'Release date', isDate: true },
  { field: 'preorderDate', label: 'Pre-order date', isDate: true },
  { field: 'originalReleaseDate', label: 'Original release date', isDate: true },
];

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border bg-card p-4 sm:p-5">
      <h2 id={id} className="mb-4 text-sm font-semibold tracking-tight">
        {title}
      </h2>
      <div className="grid grid-cols-1 gap-x-4 gap-y-4 sm:grid-cols-2">{children}</div>
    </section>
  );
}

/** The release-level fields of the sheet, in three sections, each field last-writer-wins. */
export function ReleaseFieldsForm({ release }: { release: ReleaseFields }) {
  const { doc, edit } = useSheet();
  const write = (fields: Partial<ReleaseFields>) => edit(() => setReleaseFields(doc, fields));

  const text = (spec: TextSpec) => {
    const value = release[spec.field];
    // A date picker where the stored value is a date (or empty); a bad import shows as text.
    const isDatePicker = spec.isDate && (value === '' || isIsoDate(value));
    return (
      <TextField
        key={spec.field}
        path={fieldPath.release(spec.field)}
        label={spec.label}
        className={spec.className}
        value={value}
        onWrite={(next) => write({ [spec.field]: next } as Partial<ReleaseFields>)}
        normalize={spec.isDate || spec.field === 'upc' ? (input) => input.trim() : undefined}
        inputProps={{
          type: isDatePicker ? 'date' : 'text',
          placeholder: spec.placeholder,
          inputMode: spec.inputMode,
        }}
      />
    );
  };

  return (
    <div className="flex flex-col gap-4">
      <Section id="section-release" title="Release">
        {RELEASE_TEXT.slice(0, 3).map(text)}
        <SelectField
          path={fieldPath.release('releaseType')}
          label="Type"
          value={release.releaseType}
          emptyLabel="Choose a type"
          options={RELEASE_TYPES.map((type) => ({ value: type, label: type }))}
          onWrite={(value) => write({ releaseType: value as ReleaseType | null })}
        />
        {RELEASE_TEXT.slice(3).map(text)}
        <SelectField
          path={fieldPath.release('parentalAdvisory')}
          label="Parental advisory"
          value={release.parentalAdvisory}
          emptyLabel="Not set"
          options={PARENTAL_ADVISORIES.map((advisory) => ({
            value: advisory,
            label: ADVISORY_LABELS[advisory],
          }))}
          onWrite={(value) => write({ parentalAdvisory: value as ParentalAdvisory | null })}
        />
      </Section>
      <Section id="section-label" title="Label & rights">
        {LABEL_TEXT.map(text)}
      </Section>
      <Section id="section-dates" title="Dates & territories">
        {DATE_TEXT.map(text)}
        <TextField
          path={fieldPath.release('territories')}
          label="Territories"
          mode="commit"
          value={displayTerritories(release.territories)}
          normalize={(input) => displayTerritories(storedTerritories(input))}
          onWrite={(input) => write({ territories: storedTerritories(input) })}
          inputProps={{ placeholder: 'Worldwide, or codes like US, GB, DE' }}
        />
      </Section>
    </div>
  );
}
