// The browser benchmark drives the web app exactly as its end-to-end tests do: the built stack
// on free ports, the sign-in form and the editor's test ids. This one file reaches into web/e2e.
// biome-ignore lint/style/noRestrictedImports: the e2e helpers are test code, not a package export
export { signInThroughUi } from '../web/e2e/support/auth.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { startBuiltStack, stopBuiltStack } from '../web/e2e/support/built-stack.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { CHROMIUM_ARGS, CHROMIUM_PATH } from '../web/e2e/support/chromium.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { notesEditor, openEditable } from '../web/e2e/support/editor.js';
// biome-ignore lint/style/noRestrictedImports: as above
export type { E2EStack } from '../web/e2e/support/stack.js';
