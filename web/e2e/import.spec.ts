import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { gtinCheckDigit, isoDay } from '@patchline/shared';
import type { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { validateDdexXml } from '../../shared/test/ddex/ddex-xml-check';
import { apiAs } from './support/api';
import { field, openEditable, trackTitles } from './support/editor';
import { expect, test } from './support/fixtures';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
/** Identifiers no other release of this stack holds (the label-wide checks compare them). */
const upc = (() => {
  const body = digits(11);
  return `${body}${gtinCheckDigit(body)}`;
})();
const isrcs = [`QZIMP${digits(7)}`, `QZIMP${digits(7)}`];

/**
 * A two-track single as a label keeps it in Excel (Believe-style and Spotify Uplink headers,
 * release fields on the first row only, one column Patchline does not know), complete but for two mistakes with
 * one-click fixes: a featured artist typed into a title, and an explicit track on a release
 * marked not explicit.
 */
async function spreadsheet(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Metadata');
  sheet.addRow([
    'Release Title',
    'Release Artist',
    'Release Type',
    'Label',
    'UPC',
    'Genre',
    'Title Language',
    'Product Explicit',
    'Digital Release Date',
    '℗ Line',
    '© Line',
    'Territories',
    'Track Number',
    'Track Title',
    'ISRC',
    'Duration (mm:ss)',
    'Explicit',
    'Lyrics Language',
    'Credits',
    'Price Tier',
  ]);
  const release = [
    'Blue Hours',
    'The Lanterns',
    'Single',
    'Harbour Records',
    upc,
    'Indie',
    'en',
    'Not Explicit',
    isoDay(Date.now() + 60 * 86_400_000),
    '2026 Harbour Records',
    '2026 Harbour Publishing',
    'Worldwide',
  ];
  sheet.addRow([
    ...release,
    1,
    'Blue Hours (feat. Ana)',
    isrcs[0],
    '3:25',
    'No',
    'en',
    'Ana Writer (Composer)',
    'Front',
  ]);
  sheet.addRow([
    ...release.map(() => null),
    2,
    'Night Drive',
    isrcs[1],
    '2:58',
    'Yes',
    'en',
    'Ana Writer (Composer)',
    'Front',
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const panel = (page: Page) => page.getByTestId('problems-panel');
const problem = (page: Page, code: string) =>
  panel(page)
    .getByTestId('problem')
    .and(page.locator(`[data-code="${code}"]`));

test('an .xlsx imported into a new release is fixed with two one-click fixes, submitted, approved, delivered and downloaded as DDEX', async ({
  openAs,
}) => {
  const page = await openAs('manager', '/releases');
  await page.getByTestId('import-release-button').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByLabel('File').setInputFiles({
    name: 'blue-hours.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await spreadsheet(),
  });

  // The mapping was detected from the headers; the unknown column is listed and left out.
  await expect(dialog.getByLabel('Duration (mm:ss)')).toHaveValue('track.duration');
  await expect(dialog.getByLabel('Price Tier')).toHaveValue('');
  await expect(dialog.getByTestId('import-unmapped')).toHaveText('Not imported: Price Tier');
  await expect(dialog.getByTestId('import-added').getByRole('listitem')).toHaveText([
    'Blue Hours (feat. Ana)',
    'Night Drive',
  ]);
  await expect(dialog.getByTestId('import-problems')).toHaveCount(0);

  await dialog.getByTestId('import-apply').click();
  await page.waitForURL(/\/releases\/[a-z0-9]{16}$/);
  const releaseId = new URL(page.url()).pathname.split('/').at(-1)!;
  const admin = await apiAs('admin');
  try {
    await openEditable(page, releaseId);
    await expect(field(page, 'release.title')).toHaveValue('Blue Hours');

    // The delivery checks find the two mistakes; each is fixed with its one-click fix.
    await expect(panel(page).getByTestId('problems-summary')).toHaveText('2 blocking, 0 warnings');
    await problem(page, 'featuring-in-title').getByTestId('problem-fix').click();
    await problem(page, 'explicit-track-on-clean-release').getByTestId('problem-fix').click();
    await expect(panel(page).getByTestId('problems-summary')).toHaveText(
      'None found: every delivery check passes.',
    );
    await expect(page.getByTestId('status-chip')).toHaveAttribute('data-status', 'saved');
    await page.getByTestId('transition-submit').click();
    await expect(page.getByText('Submitted for review')).toBeVisible();

    // The label's admin approves and delivers, then downloads what was delivered.
    const adminPage = await openAs('admin', `/releases/${releaseId}`);
    await adminPage.getByTestId('transition-approve').click();
    await expect(adminPage.getByText('Release approved')).toBeVisible();
    await adminPage.getByTestId('transition-deliver').click();
    await expect(adminPage.getByText('Marked as delivered')).toBeVisible();

    await adminPage.getByTestId('export-menu').click();
    const item = adminPage.getByRole('menuitem', { name: 'DDEX ERN 4.3 (XML)' });
    const [download] = await Promise.all([adminPage.waitForEvent('download'), item.click()]);
    expect(download.suggestedFilename()).toBe('blue-hours.ddex.xml');
    const message = await readFile((await download.path())!, 'utf8');
    expect(validateDdexXml(message)).toEqual([]);
    expect(message).toContain('<MessageControlType>LiveMessage</MessageControlType>');
    expect(message).toContain(`<ICPN>${upc}</ICPN>`);
    for (const isrc of isrcs) expect(message).toContain(`<ISRC>${isrc}</ISRC>`);
    expect(message).toContain('<DisplayArtistName>The Lanterns feat. Ana</DisplayArtistName>');
    expect(message).toMatch(
      /<ParentalWarningType>Explicit<\/ParentalWarningType>\s*<IsSingleArtist|<ParentalWarningType>Explicit<\/ParentalWarningType>\s*<ResourceGroup>/,
    );
  } finally {
    await admin.deleteRelease(releaseId);
  }
});

test('a CSV imported into an open release from its toolbar shows per-cell problems first, then reaches another open editor live', async ({
  openAs,
}) => {
  const manager = await apiAs('manager');
  const { releaseId } = await manager.createRelease({ title: 'Before Import' });
  try {
    const page = await openAs('manager', `/releases/${releaseId}`);
    await openEditable(page, releaseId);
    const other = await openAs('admin', `/releases/${releaseId}`);
    await openEditable(other, releaseId);

    await page.getByTestId('import-button').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByLabel('File').setInputFiles({
      name: 'tracks.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Release Title,Song,Length,Mood\r\nAfter Import,Opening,3:30,calm\r\n,Closing,four minutes,calm\r\n',
      ),
    });
    // "Song" and "Length" are synonyms; "Mood" is unknown. The bad duration is shown by row and column.
    await expect(dialog.getByLabel('Length')).toHaveValue('track.duration');
    await expect(dialog.getByTestId('import-unmapped')).toHaveText('Not imported: Mood');
    const problems = dialog.getByTestId('import-problems').getByRole('row');
    await expect(problems).toHaveCount(2);
    await expect(problems.nth(1)).toContainText('3');
    await expect(problems.nth(1)).toContainText('Length');
    await expect(problems.nth(1)).toContainText('Bad duration "four minutes"');

    // The person maps "Mood" to the track version; the preview follows.
    await dialog.getByLabel('Mood').selectOption({ label: 'Track version' });
    await expect(dialog.getByLabel('Mood')).toHaveValue('track.version');
    await expect(dialog.getByTestId('import-unmapped')).toHaveCount(0);

    // The dialog with its mapping, preview and problems has no serious accessibility violation.
    await dialog.evaluate((element) =>
      Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)),
    );
    const { violations } = await new AxeBuilder({ page }).include('[data-testid="import-dialog"]').analyze();
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);

    await dialog.getByTestId('import-apply').click();
    await expect(page.getByText('Import applied')).toBeVisible();
    await expect(field(page, 'release.title')).toHaveValue('After Import');
    await expect(field(other, 'release.title')).toHaveValue('After Import');
    await expect(trackTitles(other)).toHaveCount(2);
    await expect(trackTitles(other).nth(0)).toHaveValue('Opening');
    await expect(trackTitles(other).nth(1)).toHaveValue('Closing');

    // The import is not in the page's own undo stack; its toast takes it back for everyone.
    await page.getByRole('button', { name: 'Undo import', exact: true }).click();
    await expect(page.getByText('Import undone')).toBeVisible();
    await expect(field(other, 'release.title')).toHaveValue('Before Import');
    await expect(trackTitles(other)).toHaveCount(0);
    await expect(field(page, 'release.title')).toHaveValue('Before Import');
  } finally {
    await manager.deleteRelease(releaseId);
  }
});
