/** Debian's Chromium: Playwright cannot download browsers on this machine. */
export const CHROMIUM_PATH = process.env.PATCHLINE_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (root in CI), and none of Chromium's own network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
