import type * as Y from 'yjs';
import { type ReleaseFieldName, releaseMap } from '../doc-layout.js';
import { type ReleaseFields, releaseFieldsSchema } from '../domain/release-sheet.js';
import { SheetError, SheetErrorReason } from './sheet-error.js';

function parseReleaseField(field: string, value: unknown): unknown {
  const schema = (
    releaseFieldsSchema.shape as Record<string, (typeof releaseFieldsSchema.shape)[ReleaseFieldName]>
  )[field];
  if (!schema) throw new SheetError(SheetErrorReason.invalidValue, `Unknown release field "${field}"`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'wrong type';
    throw new SheetError(SheetErrorReason.invalidValue, `Invalid value for release.${field}: ${reason}`);
  }
  return parsed.data;
}

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Sets release fields (each last-writer-wins) in one transaction, so one call is one update on
 * the wire. Every value is type-checked before anything is written, and unchanged values are
 * skipped so re-typing the same text produces no update.
 */
export function setReleaseFields(doc: Y.Doc, fields: Partial<ReleaseFields>): void {
  const parsed = Object.entries(fields).map(
    ([field, value]) => [field, parseReleaseField(field, value)] as const,
  );
  const map = releaseMap(doc);
  doc.transact(() => {
    for (const [field, value] of parsed) {
      if (!(map.has(field) && sameValue(map.get(field), value))) map.set(field, value);
    }
  });
}

export function setReleaseField<K extends ReleaseFieldName>(
  doc: Y.Doc,
  field: K,
  value: ReleaseFields[K],
): void {
  setReleaseFields(doc, { [field]: value } as Partial<ReleaseFields>);
}
