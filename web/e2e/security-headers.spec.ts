import type { BrowserContext, Page } from '@playwright/test';
import { signInThroughUi } from './support/auth';
import { field, notesEditor, openEditable, retype, typeAtEndOfNotes } from './support/editor';
import { expect, test } from './support/fixtures';
import { DEMO_NAMES, type DemoRole, e2eStack } from './support/stack';

/** A CSP header as directive → sources. */
function parsePolicy(header: string | undefined): Map<string, string[]> {
  const policy = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name, sources);
  }
  return policy;
}

const originOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
};

test('every page is served with the security headers and a nonce of its own', async ({ request }) => {
  const { local } = e2eStack();
  const nonces = new Set<string>();
  for (const path of [
    '/sign-in',
    '/releases',
    `/releases/${local.demo.releaseId}`,
    '/share/not-a-real-token',
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBeLessThan(500);
    const headers = response.headers();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('no-referrer');
    expect(headers['x-frame-options'], path).toBe('DENY');

    const policy = parsePolicy(headers['content-security-policy']);
    expect(policy.get('frame-ancestors'), path).toEqual(["'none'"]);
    expect(policy.get('object-src'), path).toEqual(["'none'"]);
    expect(policy.get('base-uri'), path).toEqual(["'none'"]);
    expect(policy.get('form-action'), path).toEqual(["'self'"]);
    const scriptSrc = policy.get('script-src') ?? [];
    expect(scriptSrc, path).toContain("'strict-dynamic'");
    expect(scriptSrc, path).not.toContain("'unsafe-inline'");
    expect(scriptSrc, path).not.toContain("'unsafe-eval'");
    const nonce = scriptSrc.find((source) => source.startsWith("'nonce-"))?.slice(7, -1);
    expect(nonce, path).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    nonces.add(nonce!);
    // The stack's API, WebSocket gateway and Cognito, and nothing else beyond this origin.
    expect(new Set(policy.get('connect-src')), path).toEqual(
      new Set([
        "'self'",
        originOf(local.apiUrl),
        originOf(local.websocketUrl),
        originOf(local.cognito.endpoint),
      ]),
    );

    // Every script the page carries has this response's nonce.
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(4);

  // Static files are not sniffed either.
  const html = await (await request.get('/sign-in')).text();
  const chunk = html.match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
  expect(chunk).toBeTruthy();
  expect((await request.get(chunk!)).headers()['x-content-type-options']).toBe('nosniff');
});

/** What the page's CSP refused, as the browser reports it to the page. */
interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}
type ViolationWindow = Window & { __cspViolations: Violation[] };

/**
 * A signed-in page whose CSP violations are recorded from the first byte (the listener is
 * installed before any page script runs), with the console's CSP messages alongside.
 */
async function instrumentedPage(context: BrowserContext, role: DemoRole, path: string) {
  const { demo } = e2eStack().local;
  await context.addInitScript(() => {
    const target = window as unknown as ViolationWindow;
    target.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      target.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
      }),
    );
  });
  const page = await context.newPage();
  const consoleMessages: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) consoleMessages.push(message.text());
  });
  await signInThroughUi(page, demo.accounts[role], demo.password, path);
  const violations = async () => ({
    reported: await page.evaluate(() => (window as unknown as ViolationWindow).__cspViolations),
    console: consoleMessages,
  });
  return { page, violations };
}

test('two people edit a release with the policy on, and nothing is refused', async ({ browser }) => {
  const { demo } = e2eStack().local;
  const path = `/releases/${demo.releaseId}`;
  const stamp = Date.now().toString(36);
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const editor = await instrumentedPage(contexts[0]!, 'editor', path);
    const manager = await instrumentedPage(contexts[1]!, 'manager', path);
    // Connected over the WebSocket and synced: connect-src lets the gateway through.
    await openEditable(editor.page, demo.releaseId);
    await openEditable(manager.page, demo.releaseId);
    await expect(
      manager.page
        .getByTestId('presence')
        .getByTestId('presence-avatar')
        .filter({ hasText: DEMO_NAMES.editor }),
    ).toHaveCount(1);

    // A release field and the Tiptap notes, typed on one side and seen on the other.
    const title = field(editor.page, 'release.title');
    const originalTitle = await title.inputValue();
    await retype(title, `${originalTitle} (csp ${stamp})`);
    await expect(field(manager.page, 'release.title')).toHaveValue(`${originalTitle} (csp ${stamp})`);
    const note = ` CSP ${stamp}.`;
    await typeAtEndOfNotes(editor.page, note);
    await expect(notesEditor(manager.page)).toContainText(note.trim());
    await expect(
      notesEditor(manager.page)
        .locator('.collaboration-carets__label')
        .filter({ hasText: DEMO_NAMES.editor }),
    ).toHaveCount(1);
    // A dialog (Radix, with inline styles and a focus trap), opened by the owner.
    await manager.page.getByTestId('share-button').click();
    await expect(manager.page.getByTestId('share-dialog')).toBeVisible();
    await manager.page.keyboard.press('Escape');
    await expect(manager.page.getByTestId('share-dialog')).toBeHidden();

    // Put the demo release back.
    for (let i = 0; i < note.length; i++) await editor.page.keyboard.press('Backspace');
    await expect(notesEditor(manager.page)).not.toContainText(note.trim());
    await retype(title, originalTitle);
    await expect(field(manager.page, 'release.title')).toHaveValue(originalTitle);

    for (const side of [editor, manager])
      expect(await side.violations()).toEqual({ reported: [], console: [] });
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test('markup injected into a page cannot run script, and no other site can frame the app', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext();
  try {
    const { page } = await instrumentedPage(context, 'viewer', '/releases');
    // An inline event handler, as an HTML injection would plant it: refused, reported, not run.
    const refused = page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), {
            once: true,
          });
          document.body.insertAdjacentHTML(
            'beforeend',
            '<img alt="" src="/no-such-image.png" onerror="window.__pwned = true">',
          );
        }),
    );
    expect(await refused).toMatch(/^script-src/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();

    // Framed by another page (clickjacking): the browser refuses to render it.
    const framer: Page = await context.newPage();
    const refusedFrame = framer.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await framer.setContent(`<iframe src="${baseURL}/sign-in" title="victim"></iframe>`);
    expect((await refusedFrame).text()).toContain("'none'");
    await expect(framer.frameLocator('iframe').getByTestId('sign-in-form')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
