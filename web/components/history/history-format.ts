import type { ActivityKind, Person, VersionKind } from '@patchline/shared';

/** Who may do what in the history panel: the same rules the API enforces (permissions/SPEC.md). */
export interface HistoryAccess {
  /** Save named versions (whoever may edit the release). */
  canSaveVersion: boolean;
  /** Restore into the current status (editable, not locked); the API still judges each field. */
  canRestore: boolean;
  /** Whether this user may change the field at `path` now. */
  canEdit(path: string): boolean;
  /** Make a copy of a version as a new release (owners and label staff). */
  canCopy: boolean;
  /** The activity feed (those who may read the audit log). */
  canReadActivity: boolean;
}

export const VERSION_KIND_LABELS: Record<VersionKind, string> = {
  auto: 'Autosave',
  status: 'Status change',
  named: 'Named version',
  restore: 'Before a restore',
};

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  edit: 'Edits',
  version: 'Versions',
  sharing: 'Sharing and roles',
  status: 'Status changes',
};

export const personName = (person: Person | null) => person?.name || 'Patchline';

/** A field's value as one line of text: lists joined, credits and splits by name. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(formatValue).join(', ');
  if (typeof value === 'object') {
    const entry = value as Record<string, unknown>;
    if (typeof entry.name === 'string') {
      const extra = [entry.role, entry.share === undefined ? undefined : `${entry.share}%`]
        .filter((part) => part !== undefined && part !== '')
        .join(' · ');
      return extra ? `${entry.name || '(no name)'} (${extra})` : entry.name || '(no name)';
    }
    return JSON.stringify(value);
  }
  return String(value);
}
