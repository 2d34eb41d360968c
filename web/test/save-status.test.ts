import { describe, expect, it } from 'vitest';
import { deriveSaveStatus, RECONNECT_GRACE_MS, type SaveStatusInput } from '../lib/collab/save-status';

const synced: SaveStatusInput = {
  isSessionExpired: false,
  isReadOnly: false,
  isOnline: true,
  isSynced: true,
  hasSynced: true,
  hasUnsavedChanges: false,
  isResyncing: false,
  disconnectedForMs: 0,
};

describe(deriveSaveStatus.name, () => {
  it('is Saved when synced with nothing pending, Saving… while local changes are unacknowledged', () => {
    expect(deriveSaveStatus(synced)).toBe('saved');
    expect(deriveSaveStatus({ ...synced, hasUnsavedChanges: true })).toBe('saving');
  });

  it('shows Connecting… on a first visit, then Reconnecting… once the grace period has passed', () => {
    const first = { ...synced, isSynced: false, hasSynced: false };
    expect(deriveSaveStatus({ ...first, disconnectedForMs: 100 })).toBe('connecting');
    expect(deriveSaveStatus({ ...first, disconnectedForMs: RECONNECT_GRACE_MS })).toBe('reconnecting');
  });

  it('keeps the last state during a short drop (most heal within a second)', () => {
    const dropped = { ...synced, isSynced: false, disconnectedForMs: RECONNECT_GRACE_MS - 1 };
    expect(deriveSaveStatus(dropped)).toBe('saved');
    expect(deriveSaveStatus({ ...dropped, hasUnsavedChanges: true })).toBe('saving');
    expect(deriveSaveStatus({ ...dropped, disconnectedForMs: RECONNECT_GRACE_MS })).toBe('reconnecting');
  });

  it('says Offline as soon as the device has no network, whatever the socket thinks', () => {
    expect(deriveSaveStatus({ ...synced, isOnline: false })).toBe('offline');
    expect(deriveSaveStatus({ ...synced, isOnline: false, isSynced: false, disconnectedForMs: 60_000 })).toBe(
      'offline',
    );
  });

  it('puts an expired session first and read-only before connection states', () => {
    const everythingWrong: SaveStatusInput = {
      isSessionExpired: true,
      isReadOnly: true,
      isOnline: false,
      isSynced: false,
      hasSynced: false,
      hasUnsavedChanges: true,
      isResyncing: true,
      disconnectedForMs: 60_000,
    };
    expect(deriveSaveStatus(everythingWrong)).toBe('session-expired');
    expect(deriveSaveStatus({ ...everythingWrong, isSessionExpired: false })).toBe('read-only');
  });
});

describe(`${deriveSaveStatus.name} after a refused edit`, () => {
  it('never says Saved while the refused edit is being replaced by the server’s state', () => {
    // The connection dropped the refused document and is syncing a fresh one; the page still
    // shows the old one, refused edit included (PROTOCOL.md, "Refusals").
    const resyncing = { ...synced, isResyncing: true, isSynced: false, disconnectedForMs: 0 };
    expect(deriveSaveStatus(resyncing)).not.toBe('saved');
    expect(deriveSaveStatus({ ...resyncing, isSynced: true })).not.toBe('saved');
    expect(deriveSaveStatus({ ...resyncing, disconnectedForMs: RECONNECT_GRACE_MS })).toBe('reconnecting');
    expect(deriveSaveStatus({ ...resyncing, isReadOnly: true })).toBe('read-only');
    expect(deriveSaveStatus({ ...resyncing, isResyncing: false, isSynced: true })).toBe('saved');
  });
});
