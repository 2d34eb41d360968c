import { waitForHydration } from './support/auth';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

/**
 * `?next=` as an attacker writes it into a sign-in link (raw, not re-encoded): each would land
 * on another host if the app followed it as the browser reads it (README.md, "Security model").
 */
const HOSTILE_NEXTS = [
  '/%09/evil.example', // the browser drops the tab: //evil.example
  '/%0A/evil.example',
  '/..//evil.example',
  '/%5Cevil.example',
  '/%2F/evil.example',
  'https://evil.example/releases',
  'javascript:alert(document.domain)',
];

test('signing in with a hostile ?next= stays on the site, and so does every later visit', async ({
  openAnonymous,
  baseURL,
}) => {
  const { demo } = e2eStack().local;
  const origin = new URL(baseURL!).origin;
  const page = await openAnonymous('/sign-in');
  // Any request or navigation that leaves the site is the attack working.
  const offSite: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.hostname === 'evil.example') offSite.push(request.url());
  });
  page.on('dialog', (dialog) => {
    offSite.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });

  const [first, ...rest] = HOSTILE_NEXTS;
  await page.goto(`/sign-in?next=${first}`);
  await waitForHydration(page, '[data-testid="sign-in-form"]');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email').fill(demo.accounts.viewer);
  await form.getByLabel('Password').fill(demo.password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/releases');
  expect(new URL(page.url()).origin).toBe(origin);
  await expect(page.getByTestId('releases-search')).toBeVisible();

  // Signed in, the sign-in page sends the visitor straight on to `next`: the same check applies.
  for (const next of rest) {
    await page.goto(`/sign-in?next=${next}`);
    await page.waitForURL((url) => url.pathname === '/releases');
    expect(new URL(page.url()).origin, next).toBe(origin);
  }
  expect(offSite).toEqual([]);
});
