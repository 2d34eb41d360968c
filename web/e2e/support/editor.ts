import type { ReleaseConnection } from '@patchline/shared/client';
import { expect, type Locator, type Page } from '@playwright/test';

/** The release sheet's input for a field path (`release.title`, `tracks.<id>.title`, …). */
export const field = (page: Page, path: string): Locator => page.getByTestId(`field-${path}`);

/** Every track's title input, in display order. */
export const trackTitles = (page: Page): Locator => page.getByTestId(/^field-tracks\.[^.]+\.title$/);

export const notesEditor = (page: Page): Locator => page.getByTestId('notes-editor');

export const statusChip = (page: Page): Locator => page.getByTestId('status-chip');

/** What `window.__patchlineConnection` holds: the page's live connection (see lib/collab/README.md). */
export type PatchlineWindow = Window & { __patchlineConnection?: ReleaseConnection };

/** Waits until the page's connection has synced the current document with the server. */
export async function waitForSync(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const connection = (window as PatchlineWindow).__patchlineConnection;
    return !!connection && connection.provider.wsconnected && connection.provider.synced;
  });
}

/**
 * Opens a release sheet in a signed-in page and waits until it can be edited: connected,
 * synced, "Saved".
 */
export async function openEditable(page: Page, releaseId: string): Promise<void> {
  if (new URL(page.url()).pathname !== `/releases/${releaseId}`) await page.goto(`/releases/${releaseId}`);
  await expectEditable(page);
}

export async function expectEditable(page: Page): Promise<void> {
  await expect(statusChip(page)).toHaveAttribute('data-status', 'saved', { timeout: 20_000 });
  await expect(field(page, 'release.title')).toBeEditable();
  await waitForSync(page);
}

/** Puts the caret at the end of the notes and types there, key by key. */
export async function typeAtEndOfNotes(page: Page, text: string): Promise<void> {
  const notes = notesEditor(page);
  await notes.click();
  await expect(notes).toBeFocused();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** Types into a text field the way a person does (the sheet writes on every keystroke). */
export async function retype(input: Locator, text: string): Promise<void> {
  await input.click();
  await input.press('Control+A');
  await input.pressSequentially(text);
  await expect(input).toHaveValue(text);
}
