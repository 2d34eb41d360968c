import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { waitForHydration } from './support/auth';
import { openEditable } from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function describe(violations: Violation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .slice(0, 5)
        .map((node) => `    - ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
        .join('\n');
      return `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

/** Waits for CSS animations and transitions in `scope` to finish (a fading dialog has odd contrast). */
async function settle(scope: Locator) {
  await scope.evaluate((element) =>
    Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)),
  );
}

async function expectNoSeriousViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious, `serious or critical accessibility violations on ${what}:\n${describe(serious)}`).toEqual(
    [],
  );
}

test.describe('accessibility (axe): no serious or critical violations', () => {
  test('sign-in page', async ({ openAnonymous }) => {
    const page = await openAnonymous('/sign-in');
    await waitForHydration(page, '[data-testid="sign-in-form"]');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expectNoSeriousViolations(page, '/sign-in');
  });

  test('release list', async ({ openAs }) => {
    const page = await openAs('manager', '/releases');
    await expect(page.getByTestId('release-row').first()).toBeVisible();
    await expectNoSeriousViolations(page, '/releases');
  });

  test('release-sheet editor', async ({ openAs }) => {
    const { releaseId } = e2eStack().local.demo;
    const page = await openAs('editor', `/releases/${releaseId}`);
    await openEditable(page, releaseId);
    await expect(page.getByTestId('notes-editor')).toBeVisible();
    await expectNoSeriousViolations(page, 'the release-sheet editor');
  });

  test('release-sheet editor with tracks selected for a bulk edit', async ({ openAs }) => {
    const { releaseId } = e2eStack().local.demo;
    const page = await openAs('editor', `/releases/${releaseId}`);
    await openEditable(page, releaseId);
    await page.getByTestId('select-all-tracks').check();
    await expect(page.getByTestId('bulk-edit-toolbar')).toBeVisible();
    await expectNoSeriousViolations(page, 'the bulk-edit toolbar');
  });

  test('share dialog', async ({ openAs }) => {
    const { releaseId } = e2eStack().local.demo;
    const page = await openAs('manager', `/releases/${releaseId}`);
    await openEditable(page, releaseId);
    await page.getByTestId('share-button').click();
    const dialog = page.getByTestId('share-dialog');
    await expect(dialog.getByTestId('member-row').first()).toBeVisible();
    await expect(dialog.getByTestId('share-link-create')).toBeVisible();
    await settle(dialog);
    await expectNoSeriousViolations(page, 'the share dialog');
  });
});
