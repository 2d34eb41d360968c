import { readFile } from 'node:fs/promises';
import { addTrack, addTrackEntry, isoDay, setReleaseFields, setTrackFields } from '@patchline/shared';
import type { Download, Page } from '@playwright/test';
import { apiAs } from './support/api';
import { field, openEditable, trackTitles } from './support/editor';
import { expect, test } from './support/fixtures';
import { connectAsManager, freshIsrc, freshUpc } from './support/live-sheet';

/** A two-track single that passes every delivery check, written as another browser would. */
async function seedReadySheet(releaseId: string) {
  const connection = await connectAsManager(releaseId);
  const { doc } = connection;
  doc.transact(() => {
    setReleaseFields(doc, {
      title: 'Harbour Lights',
      displayArtist: 'The Lanterns',
      releaseType: 'Single',
      label: 'Harbour Records',
      upc: freshUpc(),
      genre: 'Indie',
      language: 'en',
      parentalAdvisory: 'none',
      releaseDate: isoDay(Date.now() + 60 * 86_400_000),
      pLine: '2026 Harbour Records',
      cLine: '2026 Harbour Publishing',
      territories: ['Worldwide'],
    });
    for (const title of ['Harbour Lights', 'Low Tide']) {
      const id = addTrack(doc, { title, isrc: freshIsrc(), duration: 'PT3M05S' });
      setTrackFields(doc, id, { language: 'en' });
      addTrackEntry(doc, id, 'credits', { name: 'Ana Writer', role: 'Composer' });
    }
  });
  return connection;
}

const textOf = async (download: Download) => readFile((await download.path())!, 'utf8');
const downloadFrom = async (page: Page, click: () => Promise<void>) => {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return download;
};

test('marking a release delivered keeps what was sent: listed at once, downloadable as it was after later edits', async ({
  openAs,
}) => {
  const manager = await apiAs('manager');
  const { releaseId } = await manager.createRelease({ title: `Deliveries e2e ${Date.now().toString(36)}` });
  const seeding = await seedReadySheet(releaseId);
  try {
    // The server sends the page only what it stored: once the page has the seeded sheet, it can
    // be submitted.
    const page = await openAs('manager', `/releases/${releaseId}`);
    await openEditable(page, releaseId);
    await expect(field(page, 'release.title')).toHaveValue('Harbour Lights');
    await expect(trackTitles(page)).toHaveCount(2);
    for (const transition of ['submit', 'approve'] as const)
      await manager.request('POST', `/releases/${releaseId}/status`, { transition });
    await expect(page.getByTestId('transition-deliver')).toBeEnabled();
    await expect(page.getByTestId('deliveries')).toHaveCount(0);

    // The distributor templates are in the export menu.
    await page.getByTestId('export-menu').click();
    const believe = await downloadFrom(page, () =>
      page.getByRole('menuitem', { name: 'Believe template (CSV)' }).click(),
    );
    expect(believe.suggestedFilename()).toBe('harbour-lights.believe.csv');
    expect(await textOf(believe)).toMatch(/^"Release Title","Release Version","Release Artist","Label"/);

    await page.getByTestId('transition-deliver').click();
    const deliveries = page.getByTestId('deliveries');
    await expect(deliveries.getByRole('listitem')).toHaveCount(1);
    await expect(deliveries).toContainText('by Mo Manager');

    // Reopened and retitled: the kept message still says what was sent.
    await manager.request('POST', `/releases/${releaseId}/status`, { transition: 'reopen' });
    await openEditable(page, releaseId);
    await field(page, 'release.title').fill('Harbour Lights (Renamed)');
    await expect(field(page, 'release.title')).toHaveValue('Harbour Lights (Renamed)');
    const ddex = await downloadFrom(page, () => deliveries.getByTestId('delivery-ddex').click());
    expect(ddex.suggestedFilename()).toMatch(/^harbour-lights-renamed\.delivered-\d{13}\.ddex\.xml$/);
    const message = await textOf(ddex);
    expect(message).toContain('<MessageControlType>LiveMessage</MessageControlType>');
    expect(message).toContain('<TitleText>Harbour Lights</TitleText>');
    expect(message).not.toContain('Renamed');
    const json = JSON.parse(
      await textOf(await downloadFrom(page, () => deliveries.getByTestId('delivery-json').click())),
    );
    expect(json.release).toMatchObject({ title: 'Harbour Lights', status: 'delivered' });
  } finally {
    seeding.destroy();
    await manager.deleteRelease(releaseId);
  }
});
