import * as OTPAuth from 'otpauth';
import { waitForHydration } from './support/auth';
import { callCognitoLocal, createAccount, useProductionMfaConfig } from './support/cognito';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

/**
 * Optional two-step sign-in (issue 12, "Sessions"): an account sets up an authenticator app on
 * /account (AssociateSoftwareToken → the key and its otpauth URI → VerifySoftwareToken →
 * SetUserMFAPreference), then signs in by answering the SOFTWARE_TOKEN_MFA challenge. The codes
 * come from `otpauth`, standing in for the person's app.
 */

/** A 6-digit code that is none of the codes the app would show in the window Cognito accepts. */
function wrongCode(totp: OTPAuth.TOTP): string {
  const accepted = new Set(
    [-1, 0, 1].map((step) => totp.generate({ timestamp: Date.now() + step * 30_000 })),
  );
  let code = 0;
  while (accepted.has(String(code).padStart(6, '0'))) code += 1;
  return String(code).padStart(6, '0');
}

/** What the password alone gets from Cognito: tokens, or only a challenge. */
async function passwordAlone(email: string, password: string) {
  const { body } = await callCognitoLocal('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: e2eStack().local.cognito.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  return {
    challenge: body.ChallengeName,
    hasTokens: 'AuthenticationResult' in body && !!body.AuthenticationResult,
  };
}

test.beforeAll(useProductionMfaConfig);

test('an account turns on an authenticator app on /account, then signs in with its code', async ({
  openAs,
}) => {
  const account = await createAccount('mfa');
  const page = await openAs(account, '/releases');

  // The account page is linked from the user menu.
  await page.getByTestId('user-menu-trigger').click();
  await page.getByTestId('account-link').click();
  await page.waitForURL((url) => url.pathname === '/account');
  const card = page.getByTestId('totp-card');
  await expect(card.getByTestId('totp-status')).toHaveText('Off');

  await card.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = (await card.getByTestId('totp-secret').textContent())!;
  await expect(card.getByTestId('totp-qr')).toBeVisible();
  await card.screenshot({ path: 'test-results/account-totp-setup.png' });
  const uri = (await card.getByRole('link', { name: 'open it in the app' }).getAttribute('href'))!;
  const totp = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
  expect(totp).toBeInstanceOf(OTPAuth.TOTP);
  expect(totp.secret.base32).toBe(secret);
  expect([totp.issuer, totp.label, totp.algorithm, totp.digits, totp.period]).toEqual([
    'Patchline',
    account.email,
    'SHA1',
    6,
    30,
  ]);

  // A wrong code is refused and turns nothing on.
  await card.getByLabel('Authenticator code').fill(wrongCode(totp));
  await card.getByRole('button', { name: 'Turn on' }).click();
  await expect(card.getByTestId('totp-error')).toHaveText('That code is not right. Check it and try again.');
  await expect(card.getByTestId('totp-status')).toHaveText('Off');
  expect(await passwordAlone(account.email, account.password)).toEqual({
    challenge: undefined,
    hasTokens: true,
  });

  await card.getByLabel('Authenticator code').fill(totp.generate());
  await card.getByRole('button', { name: 'Turn on' }).click();
  await expect(card.getByTestId('totp-status')).toHaveText('On');
  await page.reload();
  await expect(page.getByTestId('totp-card').getByTestId('totp-status')).toHaveText('On');

  // From now on the password alone gets a challenge, never tokens.
  expect(await passwordAlone(account.email, account.password)).toEqual({
    challenge: 'SOFTWARE_TOKEN_MFA',
    hasTokens: false,
  });

  // Sign out, and back in: the password, then the code.
  await page.getByTestId('user-menu-trigger').click();
  await page.getByTestId('sign-out').click();
  await page.waitForURL((url) => url.pathname === '/sign-in');
  await page.goto('/sign-in?next=%2Faccount');
  await waitForHydration(page, '[data-testid="sign-in-form"]');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  const codeForm = page.getByTestId('sign-in-totp-form');
  await expect(codeForm).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/sign-in');

  await codeForm.getByLabel('Authenticator code').fill(wrongCode(totp));
  await codeForm.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(codeForm.getByTestId('sign-in-error')).toHaveText(
    'That code is not right. Check it and try again.',
  );
  expect(new URL(page.url()).pathname).toBe('/sign-in');

  await codeForm.getByLabel('Authenticator code').fill(totp.generate());
  await codeForm.getByRole('button', { name: 'Verify and sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/account');
  const signedIn = page.getByTestId('totp-card');
  await expect(signedIn.getByTestId('totp-status')).toHaveText('On');

  // Turning it off puts the password alone back in charge.
  await signedIn.getByTestId('totp-disable').click();
  await expect(signedIn.getByTestId('totp-status')).toHaveText('Off');
  expect(await passwordAlone(account.email, account.password)).toEqual({
    challenge: undefined,
    hasTokens: true,
  });
});
