import { defineConfig } from '@playwright/test';
// biome-ignore lint/style/noRestrictedImports: the config belongs to the e2e tests it points at
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './web/e2e/support/chromium';

/**
 * End-to-end browser tests (issue 5, "Browser tests"): Debian's Chromium against the stack
 * `npm start` runs, started by `web/e2e/global-setup.ts` on free ports with a throwaway data
 * directory. Run with `npm run test:e2e` (builds the web app first) or `npx playwright test`
 * once `tsc -b` and `npm run build -w @patchline/web` have run.
 *
 * Playwright cannot download browsers here, so it drives the system Chromium. The machine has
 * two cores and the stack itself (dynalite, cognito-local, the gateway with its workers, the API
 * and `next start`) needs them too: one worker, tests in file order.
 */
export default defineConfig({
  testDir: './web/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  globalSetup: './web/e2e/global-setup.ts',
  globalTeardown: './web/e2e/global-teardown.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  // Everything together; a run that takes longer than this is stuck, not slow.
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    // Set by global-setup (it picks the ports); the workers start after it and inherit it.
    baseURL: process.env.PATCHLINE_E2E_WEB_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
