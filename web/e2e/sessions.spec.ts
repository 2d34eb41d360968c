import type { Page, Response } from '@playwright/test';
import { signInThroughUi } from './support/auth';
import { createAccount, refreshWith } from './support/cognito';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

/**
 * Sessions (issue 12, "The edge"): tokens stay in the tab (sessionStorage), never localStorage;
 * a reload keeps the session, closing every tab ends it; sign-out revokes the refresh token at
 * Cognito; the ID token is refreshed before it expires; a token the API refuses is refreshed
 * once. Each test signs a new account in, so revoking its tokens touches nobody else's.
 */

const TOKEN_KEY = /^CognitoIdentityServiceProvider\..+\.(idToken|accessToken|refreshToken)$/;

/** The Cognito tokens in one tab's storage, by kind. */
async function tokensIn(page: Page, storage: 'localStorage' | 'sessionStorage') {
  const entries = await page.evaluate((which) => Object.entries(window[which]), storage);
  const tokens = entries.filter(([key]) => TOKEN_KEY.test(key));
  const byKind = (kind: string) => tokens.find(([key]) => key.endsWith(`.${kind}`))?.[1];
  return { entries, idToken: byKind('idToken'), refreshToken: byKind('refreshToken'), count: tokens.length };
}

const isCognitoCall = (operation: string) => (response: Response) =>
  response.request().headers()['x-amz-target'] === `AWSCognitoIdentityProviderService.${operation}`;

const expiryOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

test('tokens stay out of localStorage; a reload keeps the session, a later tab gets it, closing every tab ends it', async ({
  openAs,
}) => {
  const account = await createAccount('session');
  const page = await openAs(account, '/releases');
  await expect(page.getByTestId('user-menu-trigger')).toBeVisible();

  const local = await tokensIn(page, 'localStorage');
  // Nothing of the session on disk for 30 days: no Cognito key and no JWT-shaped value at all.
  expect(local.entries.filter(([key, value]) => key.includes('Cognito') || /^eyJ/.test(value))).toEqual([]);
  const inTab = await tokensIn(page, 'sessionStorage');
  expect(inTab.count).toBe(3);

  await page.reload();
  await expect(page.getByTestId('user-menu-trigger')).toBeVisible();
  await expect(page.getByTestId('releases-empty')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/releases');

  // A tab opened afterwards (its own, empty sessionStorage) is handed the session by the open one.
  const context = page.context();
  const later = await context.newPage();
  await later.goto('/releases');
  await expect(later.getByTestId('user-menu-trigger')).toBeVisible();
  expect((await tokensIn(later, 'localStorage')).count).toBe(0);

  // Closing every tab is what closing the browser does to sessionStorage: nothing is left.
  await page.close();
  await later.close();
  const afterClose = await context.newPage();
  await afterClose.goto('/releases');
  await afterClose.waitForURL((url) => url.pathname === '/sign-in');
  expect(new URL(afterClose.url()).searchParams.get('next')).toBe('/releases');
});

test('sign-out revokes the refresh token at Cognito and signs out the other tabs', async ({ openAs }) => {
  const account = await createAccount('signout');
  const page = await openAs(account, '/releases');
  await expect(page.getByTestId('user-menu-trigger')).toBeVisible();
  const { refreshToken } = await tokensIn(page, 'sessionStorage');
  expect(refreshToken).toBeTruthy();
  // Before: the stolen copy works (so the refusal below is the revocation, not a bad token).
  expect((await refreshWith(refreshToken!)).status).toBe(200);

  const otherTab = await page.context().newPage();
  await otherTab.goto('/releases');
  await expect(otherTab.getByTestId('user-menu-trigger')).toBeVisible();

  const revoked = page.waitForResponse(isCognitoCall('RevokeToken'));
  await page.getByTestId('user-menu-trigger').click();
  await page.getByTestId('sign-out').click();
  expect((await revoked).status()).toBe(200);
  await page.waitForURL((url) => url.pathname === '/sign-in');

  // The attacker's copy of the refresh token no longer gets tokens.
  const attempt = await refreshWith(refreshToken!);
  expect(attempt.status).toBe(400);
  expect(attempt.body.__type).toBe('NotAuthorizedException');
  expect(attempt.body).not.toHaveProperty('AuthenticationResult');

  // The other tab shared that refresh token: it is signed out too, its tokens gone.
  await otherTab.waitForURL((url) => url.pathname === '/sign-in');
  expect((await tokensIn(otherTab, 'sessionStorage')).count).toBe(0);
  expect((await tokensIn(page, 'sessionStorage')).count).toBe(0);
});

test('an ID token the API refuses is refreshed once and the request retried', async ({ openAs }) => {
  const account = await createAccount('refused');
  const page = await openAs(account, '/releases');
  await expect(page.getByTestId('releases-empty')).toBeVisible();

  // An unexpired ID token whose signature no longer matches: the API's JWT check refuses it for
  // real (401), as it refuses a token it stopped trusting.
  const broken = await page.evaluate(() => {
    const [key, token] = Object.entries(sessionStorage).find(([name]) => name.endsWith('.idToken'))!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = signature[20] === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, 20)}${flipped}${signature.slice(21)}`;
    sessionStorage.setItem(key, tampered);
    return tampered;
  });

  const apiOrigin = new URL(e2eStack().local.apiUrl).origin;
  const listAnswers: number[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === apiOrigin && url.pathname === '/releases' && response.request().method() === 'GET') {
      listAnswers.push(response.status());
    }
  });
  const refreshed = page.waitForResponse(isCognitoCall('InitiateAuth'));
  await page.reload();
  expect((await refreshed).status()).toBe(200);
  await expect(page.getByTestId('releases-empty')).toBeVisible();
  expect(listAnswers).toEqual([401, 200]);
  const { idToken } = await tokensIn(page, 'sessionStorage');
  expect(idToken).not.toBe(broken);
  expect(new URL(page.url()).pathname).toBe('/releases');
});

test('the ID token is refreshed before it expires, so a long session keeps working', async ({
  browser,
  baseURL,
}) => {
  const account = await createAccount('long');
  const context = await browser.newContext({ baseURL });
  try {
    // Fake timers and clock from the first script on; time still flows, and jumps on demand.
    await context.clock.install();
    const page = await context.newPage();
    await signInThroughUi(page, account.email, account.password, '/releases');
    await expect(page.getByTestId('releases-empty')).toBeVisible();
    const before = (await tokensIn(page, 'sessionStorage')).idToken!;

    // 56 minutes on: the 60-minute token is within the 5-minute margin, and the timer refreshes it.
    const refreshed = page.waitForResponse(isCognitoCall('InitiateAuth'));
    await page.clock.fastForward('56:00');
    expect((await refreshed).status()).toBe(200);
    await expect.poll(async () => (await tokensIn(page, 'sessionStorage')).idToken).not.toBe(before);
    const after = (await tokensIn(page, 'sessionStorage')).idToken!;
    // A new token from cognito-local, whose clock is real (only the page's jumped): issued in the
    // same second as the first, it may carry the same expiry, never an earlier one.
    expect(expiryOf(after)).toBeGreaterThanOrEqual(expiryOf(before));

    // The page still works with it (the API takes the new token), still signed in.
    await page.reload();
    await expect(page.getByTestId('releases-empty')).toBeVisible();
    await expect(page.getByTestId('user-menu-trigger')).toBeVisible();
  } finally {
    await context.close();
  }
});
