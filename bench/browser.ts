import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  type E2EStack,
  notesEditor,
  openEditable,
  signInThroughUi,
  startBuiltStack,
  stopBuiltStack,
} from './browser-support.js';
import { type LatencySummary, round, roundSummary, summarize } from './stats.js';

export interface BrowserOptions {
  keystrokes: number;
  /** Pause between two keystrokes: a quick typist's pace. */
  keystrokeGapMs: number;
}

export interface BrowserResult extends BrowserOptions {
  /** Keystroke (keydown in the typist's page) → the character shown in the other page's notes. */
  keystrokeToVisibleMs: LatencySummary;
  delivered: number;
  /** The editor route's first-load JavaScript: the scripts its server-rendered HTML loads. */
  editorFirstLoadJs: { route: string; gzipKb: number; files: number; rawKb: number };
  /** Every script the page fetched until it was editable, lazy chunks included (for context). */
  editorAllJsUntilEditable: { gzipKb: number; files: number };
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the typing goes: a paragraph of its own at the end of the notes. */
const MARKER = 'bench:';

/**
 * The browser figures of issue 5, on the stack `npm start` runs (built first if stale, then
 * started on free ports) and Debian's Chromium: keystroke-to-visible latency between two people
 * typing in the notes (Tiptap over the gateway), and the editor route's first-load JavaScript.
 */
export async function measureBrowser(options: BrowserOptions): Promise<BrowserResult> {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const stack = await startBuiltStack();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const editorPath = `/releases/${stack.local.demo.releaseId}`;
    const typist = await signedInPage(browser, stack, 'editor', editorPath);
    const watcher = await signedInPage(browser, stack, 'manager', editorPath);
    const firstLoad = await measureFirstLoad(browser, stack, editorPath);
    const typing = await measureKeystrokes(typist, watcher, options);
    return { ...options, ...typing, ...firstLoad };
  } finally {
    await browser.close();
    await stopBuiltStack(stack);
  }
}

async function signedInPage(
  browser: Browser,
  stack: E2EStack,
  role: 'editor' | 'manager',
  path: string,
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: stack.local.webUrl,
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await signInThroughUi(page, stack.local.demo.accounts[role], stack.local.demo.password, path);
  await openEditable(page, stack.local.demo.releaseId);
  // tsx compiles this file keeping function names through an `__name` helper, which the
  // functions handed to `page.evaluate` then call inside the page: give the page one.
  await page.evaluate('globalThis.__name = (target) => target');
  return page;
}

/**
 * First-load JavaScript as `next build` used to report it: the scripts the route's server-rendered
 * HTML loads (the `noModule` polyfills modern browsers skip left out), gzipped. For context, also
 * every script the page fetched until the sheet was editable, lazy chunks included.
 */
async function measureFirstLoad(
  browser: Browser,
  stack: E2EStack,
  path: string,
): Promise<Pick<BrowserResult, 'editorFirstLoadJs' | 'editorAllJsUntilEditable'>> {
  const base = stack.local.webUrl;
  const html = await (await fetch(new URL(path, base))).text();
  const initial = [...html.matchAll(/<script\b([^>]*)>/g)]
    .map(([, attributes]) => attributes!)
    .filter((attributes) => !/\bnomodule\b/i.test(attributes))
    .map((attributes) => /\bsrc="([^"]+)"/.exec(attributes)?.[1])
    .filter((src): src is string => src !== undefined)
    .map((src) => new URL(src, base).href);
  const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await signInThroughUi(page, stack.local.demo.accounts.editor, stack.local.demo.password, '/releases');
  const loaded = new Set<string>();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') loaded.add(request.url());
  });
  await page.goto(path);
  await openEditable(page, stack.local.demo.releaseId);
  await context.close();

  const initialBodies = await Promise.all(initial.map(download));
  const loadedBodies = await Promise.all([...loaded].map(download));
  const gzipKb = (bodies: Buffer[]) =>
    round(bodies.reduce((sum, body) => sum + gzipSync(body).length, 0) / 1024, 1);
  return {
    editorFirstLoadJs: {
      route: '/releases/[releaseId]',
      gzipKb: gzipKb(initialBodies),
      rawKb: round(initialBodies.reduce((sum, body) => sum + body.length, 0) / 1024, 1),
      files: initialBodies.length,
    },
    editorAllJsUntilEditable: { gzipKb: gzipKb(loadedBodies), files: loadedBodies.length },
  };
}

/**
 * One person types into the notes, key by key at a steady pace; the other page timestamps each
 * character as it appears. Both clocks are `performance.timeOrigin + performance.now()` in pages
 * of one browser on one machine.
 */
async function measureKeystrokes(
  typist: Page,
  watcher: Page,
  options: BrowserOptions,
): Promise<Pick<BrowserResult, 'keystrokeToVisibleMs' | 'delivered'>> {
  const text = Array.from(
    { length: options.keystrokes },
    (_, i) => 'abcdefghijklmnopqrstuvwxyz'[i % 26],
  ).join('');
  await notesEditor(typist).click();
  await typist.keyboard.press('Control+End');
  await typist.keyboard.press('Enter');
  await typist.keyboard.type(MARKER);
  // The watcher records when each prefix of `text` first shows after the marker.
  await watcher.waitForFunction(
    (marker) => document.querySelector('[data-testid="notes-editor"]')?.textContent?.includes(marker),
    MARKER,
  );
  await watcher.evaluate(
    ({ marker, expected }) => {
      const editor = document.querySelector('[data-testid="notes-editor"]')!;
      const seenAt: number[] = [];
      (window as unknown as { __seenAt: number[] }).__seenAt = seenAt;
      const check = () => {
        const now = performance.timeOrigin + performance.now();
        const content = editor.textContent ?? '';
        const typed = content.slice(content.lastIndexOf(marker) + marker.length);
        let shown = 0;
        while (shown < typed.length && shown < expected.length && typed[shown] === expected[shown]) shown++;
        while (seenAt.length < shown) seenAt.push(now);
      };
      new MutationObserver(check).observe(editor, { subtree: true, childList: true, characterData: true });
    },
    { marker: MARKER, expected: text },
  );
  await typist.evaluate(() => {
    const pressedAt: number[] = [];
    (window as unknown as { __pressedAt: number[] }).__pressedAt = pressedAt;
    document.addEventListener('keydown', () => pressedAt.push(performance.timeOrigin + performance.now()), {
      capture: true,
    });
  });
  for (const character of text) {
    await typist.keyboard.press(character);
    await typist.waitForTimeout(options.keystrokeGapMs); // the typist's pace, not a synchronisation
  }
  await watcher
    .waitForFunction(
      (count) => (window as unknown as { __seenAt: number[] }).__seenAt.length >= count,
      text.length,
      { timeout: 30_000 },
    )
    .catch(() => undefined); // what did not arrive shows as `delivered` below
  const pressedAt = await typist.evaluate(() => (window as unknown as { __pressedAt: number[] }).__pressedAt);
  const seenAt = await watcher.evaluate(() => (window as unknown as { __seenAt: number[] }).__seenAt);
  const latencies = Float64Array.from(seenAt.slice(0, pressedAt.length), (seen, i) => seen - pressedAt[i]!);
  return { keystrokeToVisibleMs: roundSummary(summarize(latencies)), delivered: latencies.length };
}
