/**
 * The one status chip of the editor (README.md, "The web app"): what is true about this sheet's edits now.
 * `connecting` covers the first seconds of a visit, before the sheet has ever synced.
 */
export const SAVE_STATUSES = [
  'saved',
  'saving',
  'offline',
  'reconnecting',
  'connecting',
  'read-only',
  'session-expired',
] as const;
export type SaveStatus = (typeof SAVE_STATUSES)[number];

export const SAVE_STATUS_LABELS: Record<SaveStatus, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  offline: 'Offline (changes kept on this device)',
  reconnecting: 'Reconnecting…',
  connecting: 'Connecting…',
  'read-only': 'Read-only',
  'session-expired': 'Session expired',
};

/**
 * Most drops heal within a second; "Reconnecting…" only after this long without a connection
 * (the common guidance for connection status indicators). Until then the chip keeps its last state.
 */
export const RECONNECT_GRACE_MS = 5_000;

export interface SaveStatusInput {
  isSessionExpired: boolean;
  /** Viewer, locked status, or access revoked. */
  isReadOnly: boolean;
  /** `navigator.onLine`: false means the device itself has no network. */
  isOnline: boolean;
  /** The provider is connected and has synced the current document. */
  isSynced: boolean;
  /** The current document has synced at least once during this visit. */
  hasSynced: boolean;
  /** Local structs or deletions the server is not known to have. */
  hasUnsavedChanges: boolean;
  /**
   * An edit was refused and the document is being replaced by the server's state
   * (PROTOCOL.md, "Refusals"); the page may still show the refused edit meanwhile.
   */
  isResyncing: boolean;
  /** Milliseconds without a synced connection (dropped, or not yet made); 0 while synced. */
  disconnectedForMs: number;
}

/**
 * Decides the chip, most important first: a session that must be renewed, then a sheet that
 * cannot be edited, then the device being offline, then the connection, then pending saves.
 */
export function deriveSaveStatus(input: SaveStatusInput): SaveStatus {
  if (input.isSessionExpired) return 'session-expired';
  if (input.isReadOnly) return 'read-only';
  if (!input.isOnline) return 'offline';
  // Never "Saved" (nor "Saving…") for a refused edit: what is on screen is being reloaded.
  if (input.isResyncing) return input.disconnectedForMs >= RECONNECT_GRACE_MS ? 'reconnecting' : 'connecting';
  if (!input.isSynced) {
    if (input.disconnectedForMs >= RECONNECT_GRACE_MS) return 'reconnecting';
    if (!input.hasSynced) return 'connecting';
  }
  return input.hasUnsavedChanges ? 'saving' : 'saved';
}

/** Chip tone for styling: calm, busy or needs attention. */
export function saveStatusTone(status: SaveStatus): 'ok' | 'busy' | 'warn' | 'muted' {
  switch (status) {
    case 'saved':
      return 'ok';
    case 'saving':
    case 'connecting':
    case 'reconnecting':
      return 'busy';
    case 'offline':
    case 'session-expired':
      return 'warn';
    case 'read-only':
      return 'muted';
  }
}
