import { apiAs } from './support/api';
import { waitForHydration } from './support/auth';
import { readConfirmationCode } from './support/cognito';
import { field, openEditable, retype } from './support/editor';
import { expect, test } from './support/fixtures';

test('an owner creates an editor link; a new user signs up through it and edits', async ({
  openAs,
  openAnonymous,
  baseURL,
}) => {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // The editor creates a release of their own, so they own it and may share it.
  const ownerApi = await apiAs('editor');
  const title = `Shared by link ${stamp}`;
  const { releaseId } = await ownerApi.createRelease({ title, displayArtist: 'The Linkers', trackCount: 1 });
  const path = `/releases/${releaseId}`;

  try {
    const owner = await openAs('editor', path);
    await owner.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    await openEditable(owner, releaseId);

    // The share dialog: an editor link, created and copied.
    await owner.getByTestId('share-button').click();
    const dialog = owner.getByTestId('share-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('share-link-role').click();
    await owner.getByRole('option', { name: 'Editor', exact: true }).click();
    await expect(dialog.getByTestId('share-link-role')).toHaveText('Editor');
    await dialog.getByTestId('share-link-create').click();
    const created = dialog.getByTestId('share-link-created');
    await expect(created).toContainText('New editor link');
    const link = await created.getByTestId('share-link-url').inputValue();
    expect(new URL(link).origin).toBe(new URL(baseURL!).origin);
    expect(new URL(link).pathname).toMatch(/^\/share\/[^/]+$/);
    await created.getByTestId('share-link-copy').click();
    await expect(created.getByTestId('share-link-copy')).toHaveText('Copied');
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expect(dialog.getByTestId('share-link-row').first()).toHaveAttribute('data-state', 'active');
    await owner.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // Someone new opens the link: it says what it offers, and asks them to sign in or up.
    const sharePath = new URL(link).pathname;
    const newcomer = await openAnonymous(sharePath);
    await expect(newcomer.getByTestId('share-release-title')).toHaveText(title);
    await expect(newcomer.getByTestId('share-offered-role')).toHaveText('Editor');
    await newcomer.getByTestId('share-sign-up').click();
    await newcomer.waitForURL((url) => url.pathname === '/sign-up');

    // Sign-up, then the emailed code (locally: cognito-local's stored code), then back to the link.
    const email = `e2e-${stamp}@example.test`;
    const name = `Nia Newcomer ${stamp}`;
    await waitForHydration(newcomer, '[data-testid="sign-up-form"]');
    const signUp = newcomer.getByTestId('sign-up-form');
    await signUp.getByLabel('Your name').fill(name);
    await signUp.getByLabel('Email').fill(email);
    await signUp.getByLabel('Password', { exact: true }).fill('Patchline-e2e-1');
    await signUp.getByRole('button', { name: 'Create account' }).click();
    const confirm = newcomer.getByTestId('confirm-form');
    await expect(confirm).toBeVisible();
    let code: string | undefined;
    await expect.poll(() => (code = readConfirmationCode(email))).toMatch(/^\d{4,8}$/);
    await confirm.getByLabel('Confirmation code').fill(code!);
    await confirm.getByRole('button', { name: 'Confirm email' }).click();
    await newcomer.waitForURL((url) => url.pathname === sharePath);

    // Signed in now: open the release and edit it.
    await newcomer.getByTestId('share-open').click();
    await newcomer.waitForURL((url) => url.pathname === path);
    await openEditable(newcomer, releaseId);
    await expect(newcomer.getByTestId('role-badge')).toHaveAttribute('data-role', 'editor');
    const newTitle = `${title}, edited by a newcomer`;
    await retype(field(newcomer, 'release.title'), newTitle);

    // The owner sees the edit, and who made it.
    await expect(field(owner, 'release.title')).toHaveValue(newTitle);
    await expect(owner.getByTestId('presence')).toContainText(name);
  } finally {
    await ownerApi.deleteRelease(releaseId);
  }
});
