import { readFile } from 'node:fs/promises';
import { DDEX_XSD, validateDdexXml, xmllintValidate } from '../../shared/test/ddex/ddex-xml-check';
import { waitForSync } from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

test('a viewer downloads the demo release as a DDEX ERN 4.3 message from the export menu', async ({
  openAs,
}) => {
  const { demo } = e2eStack().local;
  const viewer = await openAs('viewer', `/releases/${demo.releaseId}`);
  await waitForSync(viewer);

  await viewer.getByTestId('export-menu').click();
  const item = viewer.getByRole('menuitem', { name: 'DDEX ERN 4.3 (XML)' });
  const [download] = await Promise.all([viewer.waitForEvent('download'), item.click()]);

  expect(download.suggestedFilename()).toMatch(/^[a-z0-9-]+\.ddex\.xml$/);
  const message = await readFile((await download.path())!, 'utf8');
  expect(message).toContain('<ern:NewReleaseMessage ');
  expect(validateDdexXml(message)).toEqual([]);
  if (DDEX_XSD) expect((await xmllintValidate(DDEX_XSD, { demo: message })).ok).toBe(true);
});
