import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type BrowserContext, test as base, type Page } from '@playwright/test';
import { signInThroughUi } from './auth';
import { type DemoRole, e2eStack } from './stack';

export { expect } from '@playwright/test';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

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
  { signedIn: Map<string, StorageState> }
>({
  // Each account signs in through the UI once per worker; later contexts start from its storage
  // (amazon-cognito-identity-js keeps the tokens in localStorage), which saves a sign-in per page.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function destructures
  signedIn: [async ({}, use) => use(new Map()), { scope: 'worker' }],

  openAs: async ({ browser, baseURL, signedIn }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (who, path, options) => {
      const { demo } = e2eStack().local;
      const account = typeof who === 'string' ? { email: demo.accounts[who], password: demo.password } : who;
      const stored = signedIn.get(account.email);
      const context = await browser.newContext({
        baseURL,
        viewport: options?.viewport ?? DEFAULT_VIEWPORT,
        ...(stored ? { storageState: stored } : {}),
      });
      contexts.push(context);
      const page = await context.newPage();
      if (stored) {
        await page.goto(path);
      } else {
        await signInThroughUi(page, account.email, account.password, path);
        signedIn.set(account.email, await context.storageState());
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
