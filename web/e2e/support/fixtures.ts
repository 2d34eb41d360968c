import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type BrowserContext, test as base, type Page } from '@playwright/test';
import { signInThroughUi } from './auth';
import { type DemoRole, e2eStack } from './stack';

export { expect } from '@playwright/test';

/** A signed-in tab's sessionStorage, where the web app keeps its Cognito tokens. */
type SessionEntries = Record<string, string>;

export interface Account {
  email: string;
  password: string;
}

/** The desktop size of the "works at 1280 px and at 390 px wide". */
const DEFAULT_VIEWPORT = { width: 1280, height: 800 };

export interface OpenOptions {
  viewport?: { width: number; height: number };
}

/** A signed-in page of its own browser context (its own storage: one person, one browser). */
export type OpenAs = (who: DemoRole | Account, path: string, options?: OpenOptions) => Promise<Page>;

export const test = base.extend<
  {
    /** Opens `path` in a new browser context signed in as `who`; contexts close after the test. */
    openAs: OpenAs;
    /** Opens `path` in a new browser context that is not signed in. */
    openAnonymous: (path: string, options?: OpenOptions) => Promise<Page>;
    /** Attaches what the stack logged during a failed test (handler errors show up there). */
    stackLog: undefined;
  },
  { signedIn: Map<string, SessionEntries> }
>({
  // Each account signs in through the UI once per worker; later contexts start with a copy of its
  // tab's sessionStorage (where the web app keeps the tokens), which saves a sign-in per page.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function destructures
  signedIn: [async ({}, use) => use(new Map()), { scope: 'worker' }],

  openAs: async ({ browser, baseURL, signedIn }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (who, path, options) => {
      const { demo } = e2eStack().local;
      const account = typeof who === 'string' ? { email: demo.accounts[who], password: demo.password } : who;
      const stored = signedIn.get(account.email);
      const context = await browser.newContext({ baseURL, viewport: options?.viewport ?? DEFAULT_VIEWPORT });
      contexts.push(context);
      if (stored) await context.addInitScript(seedSessionStorage, stored);
      const page = await context.newPage();
      if (stored) {
        await page.goto(path);
      } else {
        await signInThroughUi(page, account.email, account.password, path);
        signedIn.set(account.email, await page.evaluate(() => ({ ...sessionStorage })));
      }
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },

  stackLog: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function destructures
    async ({}, use, testInfo) => {
      const { logPath } = e2eStack();
      const start = statSync(logPath).size;
      await use(undefined);
      if (testInfo.status === testInfo.expectedStatus) return;
      const length = statSync(logPath).size - start;
      const buffer = Buffer.alloc(Math.max(0, length));
      const fd = openSync(logPath, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, start);
      } finally {
        closeSync(fd);
      }
      await testInfo.attach('stack log', { body: buffer, contentType: 'text/plain' });
    },
    { auto: true },
  ],

  openAnonymous: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (path, options) => {
      const context = await browser.newContext({ baseURL, viewport: options?.viewport ?? DEFAULT_VIEWPORT });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(path);
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

/**
 * Runs in the page before its scripts: puts a signed-in tab's tokens into this tab's
 * sessionStorage, once per tab (a sign-out in the test must not be undone by the next load).
 */
function seedSessionStorage(entries: SessionEntries): void {
  const seeded = 'patchline-e2e-seeded';
  if (sessionStorage.getItem(seeded)) return;
  for (const [key, value] of Object.entries(entries)) sessionStorage.setItem(key, value);
  sessionStorage.setItem(seeded, '1');
}
