import {
  orderedTrackIds,
  readReleaseFields,
  readTracks,
  setFieldsOfTracks,
  setReleaseField,
} from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectRelease, nextEvent, waitForDoc } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  for (const role of ['manager', 'editor'] as const) tokens[role] = await idTokenOf(stack.config, role);
  return started.teardown;
});

const open = (role: 'manager' | 'editor') =>
  connectRelease(stack.config.websocketUrl, stack.demoReleaseId, tokens[role]!);
const stored = async () => (await stack.stores.documents.load(stack.demoReleaseId))!.doc;

describe('a bulk edit over the WebSocket (permissions/SPEC.md AB21)', () => {
  it("an editor's bulk edit that also sets a label-only field is refused whole; without it, it is stored", async () => {
    const [editor, manager] = [open('editor'), open('manager')];
    await Promise.all([editor.whenSynced(), manager.whenSynced()]);
    const trackIds = orderedTrackIds(editor.doc).slice(0, 3);
    const languagesBefore = readTracks(await stored()).map((track) => track.language);
    const labelBefore = readReleaseFields(await stored()).label;

    // One transaction, as the bulk-edit toolbar sends it: three tracks' language and the label.
    const rejected = nextEvent<{ reason: string; fields: string[] }>(editor, 'rejected');
    editor.doc.transact(() => {
      setFieldsOfTracks(editor.doc, trackIds, { language: 'pt' });
      setReleaseField(editor.doc, 'label', 'Editor Records');
    });
    expect(await rejected).toMatchObject({ reason: 'forbidden-field', fields: ['release.label'] });

    // Nothing of it was stored or reached the manager: no track got the language either.
    const after = await stored();
    expect(readTracks(after).map((track) => track.language)).toEqual(languagesBefore);
    expect(readReleaseFields(after).label).toBe(labelBefore);

    // The same bulk edit without the label field is the editor's to make, and everyone gets it.
    await editor.whenSynced();
    await waitForDoc(editor.doc, (doc) => readReleaseFields(doc).label === labelBefore);
    setFieldsOfTracks(editor.doc, trackIds, { language: 'fr' });
    await waitForDoc(manager.doc, (doc) =>
      readTracks(doc)
        .slice(0, 3)
        .every((track) => track.language === 'fr'),
    );
    expect(readTracks(manager.doc).some((track) => track.language === 'pt')).toBe(false);
    expect(
      readTracks(await stored())
        .slice(0, 3)
        .map((track) => track.language),
    ).toEqual(['fr', 'fr', 'fr']);
  });
});
