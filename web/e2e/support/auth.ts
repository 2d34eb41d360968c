import { expect, type Page } from '@playwright/test';

/**
 * Waits until React has hydrated the element (it then carries React's `__reactFiber…` key).
 * The auth forms are server-rendered with `method="post"`: typing and submitting before
 * hydration would post the form instead of running the sign-in code.
 */
export async function waitForHydration(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((target) => {
    const element = document.querySelector(target);
    return !!element && Object.keys(element).some((key) => key.startsWith('__reactFiber'));
  }, selector);
}

const pathOf = (url: URL) => `${url.pathname}${url.search}`;

/**
 * Signs in through `/sign-in?next=…` and waits for the app to land on `next` (a path with its
 * query, as the app's `safeNext` keeps it).
 */
export async function signInThroughUi(page: Page, email: string, password: string, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(page, '[data-testid="sign-in-form"]');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(form.getByTestId('sign-in-error')).toHaveCount(0);
  await page.waitForURL((url) => pathOf(url) === next);
}
