import { join } from 'node:path';
import {
  addTrack,
  addTrackEntry,
  isoDay,
  readTracks,
  setReleaseFields,
  setTrackFields,
} from '@patchline/shared';
import type { Page } from '@playwright/test';
import { apiAs } from './support/api';
import { field, openEditable, retype } from './support/editor';
import { expect, test } from './support/fixtures';
import { connectAsManager, freshIsrc, freshUpc } from './support/live-sheet';

/**
 * Writes the sheet through a connection of the manager's, as another person's browser would:
 * a two-track single, complete but for two mistakes, each with a one-click fix.
 */
async function seedSheetWithTwoProblems(releaseId: string) {
  const connection = await connectAsManager(releaseId);
  const { doc } = connection;
  doc.transact(() => {
    setReleaseFields(doc, {
      title: 'Blue Hours',
      displayArtist: 'The Lanterns',
      releaseType: 'Single',
      label: 'Harbour Records',
      upc: freshUpc(),
      genre: 'Indie',
      language: 'en',
      // Problem 1: a track below is explicit, the release is not marked so.
      parentalAdvisory: 'none',
      releaseDate: isoDay(Date.now() + 60 * 86_400_000),
      pLine: '2026 Harbour Records',
      cLine: '2026 Harbour Publishing',
      territories: ['Worldwide'],
    });
    // Problem 2: the featured artist typed into the title.
    const first = addTrack(doc, { title: 'Blue Hours (feat. Ana)', isrc: freshIsrc(), duration: 'PT3M25S' });
    const second = addTrack(doc, { title: 'Night Drive', isrc: freshIsrc(), duration: 'PT2M58S' });
    setTrackFields(doc, second, { explicit: true });
    for (const id of [first, second]) {
      setTrackFields(doc, id, { language: 'en' });
      addTrackEntry(doc, id, 'credits', { name: 'Ana Writer', role: 'Composer' });
    }
  });
  return { connection, tracks: readTracks(doc) };
}

const panel = (page: Page) => page.getByTestId('problems-panel');
const problem = (page: Page, code: string) =>
  panel(page)
    .getByTestId('problem')
    .and(page.locator(`[data-code="${code}"]`));

test('two problems fixed with their one-click fixes: the panel shows none, and the release is submitted', async ({
  openAs,
}, testInfo) => {
  const managerApi = await apiAs('manager');
  const { releaseId } = await managerApi.createRelease({ title: `Checks e2e ${Date.now().toString(36)}` });
  const seeded = await seedSheetWithTwoProblems(releaseId);
  try {
    const page = await openAs('manager', `/releases/${releaseId}`);
    await openEditable(page, releaseId);
    const [first] = seeded.tracks;
    const titlePath = `tracks.${first!.id}.title`;
    // The page has what the seeding connection stored; it can go.
    await expect(field(page, titlePath)).toHaveValue('Blue Hours (feat. Ana)');
    seeded.connection.destroy();

    // Two problems, both blocking: submit waits for them.
    await expect(panel(page).getByTestId('problem')).toHaveCount(2);
    await expect(panel(page).getByTestId('problems-summary')).toHaveText('2 blocking, 0 warnings');
    await expect(problem(page, 'featuring-in-title')).toHaveAttribute('data-path', titlePath);
    await expect(problem(page, 'explicit-track-on-clean-release')).toHaveAttribute(
      'data-path',
      'release.parentalAdvisory',
    );
    await expect(page.getByTestId('transition-submit')).toBeDisabled();
    await expect(page.getByTestId('submit-blocked-reason')).toHaveText('Fix 2 blocking problems to submit');
    await expect(page.getByTestId('label-check-status')).toContainText(
      'Checked against the label’s other releases',
    );
    await panel(page).screenshot({
      path: join(testInfo.project.outputDir, 'problems-panel.png'),
      animations: 'disabled',
    });

    // A problem takes the person to its field.
    await problem(page, 'featuring-in-title').getByTestId('problem-jump').click();
    await expect(field(page, titlePath)).toBeFocused();

    // Fix 1: the featured artist moves to the artist field.
    const moveFeat = problem(page, 'featuring-in-title').getByTestId('problem-fix');
    await expect(moveFeat).toHaveText('Move “feat. Ana” to the artist field');
    await moveFeat.click();
    await expect(field(page, titlePath)).toHaveValue('Blue Hours');
    await expect(field(page, `tracks.${first!.id}.artists`)).toHaveValue('The Lanterns feat. Ana');
    await expect(panel(page).getByTestId('problem')).toHaveCount(1);

    // Fix 2: the release is marked explicit.
    await problem(page, 'explicit-track-on-clean-release').getByTestId('problem-fix').click();
    await expect(field(page, 'release.parentalAdvisory')).toContainText('Explicit');
    await expect(panel(page).getByTestId('problem')).toHaveCount(0);
    await expect(panel(page).getByTestId('problems-summary')).toHaveText(
      'None found: every delivery check passes.',
    );

    // The panel follows typing: a lower-case title is flagged, and fixed with title case.
    await retype(field(page, 'release.title'), 'blue hours');
    await expect(problem(page, 'all-lowercase')).toBeVisible();
    await problem(page, 'all-lowercase').getByTestId('problem-fix').click();
    await expect(field(page, 'release.title')).toHaveValue('Blue Hours');
    await expect(panel(page).getByTestId('problem')).toHaveCount(0);

    // Saved, then submitted: the server's checks (the label's included) agree.
    await expect(page.getByTestId('status-chip')).toHaveAttribute('data-status', 'saved');
    await page.getByTestId('transition-submit').click();
    await expect(page.getByText('Submitted for review')).toBeVisible();
    expect((await managerApi.request<{ status: string }>('GET', `/releases/${releaseId}`)).status).toBe(
      'in_review',
    );
  } finally {
    seeded.connection.destroy();
    await managerApi.deleteRelease(releaseId);
  }
});
