import {
  addTrack,
  moveTrack,
  orderedTrackIds,
  readFrame,
  readNotesText,
  readReleaseFields,
  readSheet,
  replaceNotesText,
  setReleaseField,
  setTrackField,
} from '@patchline/shared';
import { createReleaseProvider, type WebSocketConstructor } from '@patchline/shared/client';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { readAwarenessEntries } from '../src/core/awareness-entries.js';
import { readIncomingMessage } from '../src/core/y-messages.js';
import { connectRelease, nextEvent, waitForDoc, waitForDocs } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  for (const role of ['admin', 'manager', 'editor', 'viewer'] as const)
    tokens[role] = await idTokenOf(stack.config, role);
  return started.teardown;
});

const open = (role: string, doc?: Y.Doc) =>
  connectRelease(stack.config.websocketUrl, stack.demoReleaseId, tokens[role]!, doc);
const stored = async () => (await stack.stores.documents.load(stack.demoReleaseId))!.doc;
const sameSheet = (docs: Y.Doc[]) =>
  docs.every((doc) => JSON.stringify(readSheet(doc)) === JSON.stringify(readSheet(docs[0]!)));

/** Waits until `check` holds for every doc. */
const converge = (docs: Y.Doc[], check: (doc: Y.Doc) => boolean) =>
  waitForDocs(docs, () => docs.every(check));

describe('real-time sync through the gateway (3 handler workers, dynalite, cognito-local)', () => {
  it('ST1: a client gets the stored sheet on connect', async () => {
    const editor = open('editor');
    await editor.whenSynced();
    expect(readSheet(editor.doc)).toEqual(readSheet(await stored()));
    expect(readReleaseFields(editor.doc).title).not.toBe('');
  });

  it('ST2: concurrent edits to fields, tracks (reorder during edit) and notes converge for every client and the store', async () => {
    const [a, b, c] = [open('editor'), open('manager'), open('admin')];
    await Promise.all([a.whenSynced(), b.whenSynced(), c.whenSynced()]);
    const [first, second] = orderedTrackIds(a.doc);
    setReleaseField(a.doc, 'title', 'Night Drive (Deluxe)');
    setReleaseField(b.doc, 'genre', 'Electronic');
    setReleaseField(b.doc, 'upc', '036000291452');
    moveTrack(b.doc, first!, 99);
    setTrackField(a.doc, first!, 'title', 'Opening (Radio Edit)');
    setTrackField(c.doc, second!, 'isrc', 'GBAYE0601498');
    const added = addTrack(c.doc, { title: 'Bonus' });
    replaceNotesText(a.doc, 'Artwork approved by the label');

    const done = (doc: Y.Doc) => {
      const sheet = readSheet(doc);
      const moved = sheet.tracks.find((t) => t.id === first);
      return (
        sheet.release.title === 'Night Drive (Deluxe)' &&
        sheet.release.genre === 'Electronic' &&
        sheet.release.upc === '036000291452' &&
        moved?.title === 'Opening (Radio Edit)' &&
        sheet.tracks.some((t) => t.id === added) &&
        sheet.tracks.find((t) => t.id === second)?.isrc === 'GBAYE0601498' &&
        sheet.notes === 'Artwork approved by the label'
      );
    };
    await converge([a.doc, b.doc, c.doc], done);
    await converge([a.doc, b.doc, c.doc], () => sameSheet([a.doc, b.doc, c.doc]));
    expect(readSheet(await stored())).toEqual(readSheet(a.doc));
    // The move and the concurrent title edit of the same track both survived.
    const order = orderedTrackIds(a.doc);
    expect(order.indexOf(first!)).toBeGreaterThan(order.indexOf(second!));
  });

  it('ST1: offline edits merge on reconnect', async () => {
    const [a, b] = [open('editor'), open('manager')];
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.provider.disconnect();
    setReleaseField(a.doc, 'version', 'Offline edit');
    setReleaseField(b.doc, 'preorderDate', '2026-12-01');
    await waitForDoc(b.doc, (doc) => readReleaseFields(doc).preorderDate === '2026-12-01');
    a.provider.connect();
    await converge([a.doc, b.doc], (doc) => {
      const release = readReleaseFields(doc);
      return release.version === 'Offline edit' && release.preorderDate === '2026-12-01';
    });
    expect(readReleaseFields(await stored()).version).toBe('Offline edit');
  });

  it('AB22: a viewer edit is refused, never stored or seen, and the viewer converges back', async () => {
    const [viewer, editor] = [open('viewer'), open('editor')];
    await Promise.all([viewer.whenSynced(), editor.whenSynced()]);
    const before = readReleaseFields(await stored()).title;
    const rejected = nextEvent<{ reason: string }>(viewer, 'rejected');
    setReleaseField(viewer.doc, 'title', 'Viewer was here');
    expect(await rejected).toMatchObject({ reason: 'read-only' });
    await viewer.whenSynced();
    await waitForDoc(viewer.doc, (doc) => readReleaseFields(doc).title === before);
    expect(readReleaseFields(await stored()).title).toBe(before);
    expect(readReleaseFields(editor.doc).title).toBe(before);
  });

  it('AB21: an editor cannot set a label field; the manager can', async () => {
    const [editor, manager] = [open('editor'), open('manager')];
    await Promise.all([editor.whenSynced(), manager.whenSynced()]);
    const rejected = nextEvent<{ reason: string; fields: string[] }>(editor, 'rejected');
    setReleaseField(editor.doc, 'catalogNumber', 'EDITOR-1');
    expect(await rejected).toMatchObject({ reason: 'forbidden-field', fields: ['release.catalogNumber'] });
    setReleaseField(manager.doc, 'catalogNumber', 'NSR-042');
    await editor.whenSynced();
    await waitForDoc(editor.doc, (doc) => readReleaseFields(doc).catalogNumber === 'NSR-042');
  });

  // Known flake under heavy machine load (seen twice in ~30 runs, cause not found yet): retried,
  // and bounded well below the file's timeout.
  it('ST4: presence reaches everyone, with the user the server verified, and disappears when a client leaves', {
    timeout: 20_000,
  }, async () => {
    const [a, b] = [open('editor'), open('manager')];
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    const editorSub = JSON.parse(Buffer.from(tokens.editor!.split('.')[1]!, 'base64url').toString()).sub;
    // The name sent is not what others see: the server sets the user from the ID token.
    a.awareness.setLocalState({ user: { name: 'Someone else', sub: 'forged' }, field: 'release.title' });
    const seen = () =>
      [...b.awareness.getStates().values()].some(
        (s) => s.field === 'release.title' && (s.user as { sub?: string } | undefined)?.sub === editorSub,
      );
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!seen()) return;
        b.awareness.off('change', check);
        resolve();
      };
      b.awareness.on('change', check);
      check();
    });
    const clientId = a.doc.clientID;
    const left = new Promise<void>((resolve) => {
      b.awareness.on(
        'change',
        ({ removed }: { removed: number[] }) => removed.includes(clientId) && resolve(),
      );
    });
    a.destroy();
    await left;
  });

  it("ST4: a client sends its own presence only, not the others' it received", async () => {
    // What b's socket sends, decoded: the awareness entries of each awareness message.
    const sentEntries: number[][] = [];
    class RecordingSocket extends WebSocket {
      override send(data: string, ...rest: unknown[]) {
        const frame = readFrame(data);
        if (frame.kind === 'data') {
          const message = readIncomingMessage(frame.message);
          if (message.type === 'awareness')
            sentEntries.push(readAwarenessEntries(message.update).map((entry) => entry.clientId));
        }
        return (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const a = open('editor');
    const b = createReleaseProvider(new Y.Doc(), {
      url: stack.config.websocketUrl,
      releaseId: stack.demoReleaseId,
      getToken: () => tokens.manager!,
      WebSocketImpl: RecordingSocket as unknown as WebSocketConstructor,
    });
    onTestFinished(() => b.destroy());
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    b.awareness.setLocalStateField('user', { name: 'Manager' });
    const seenByB = new Promise<void>((resolve) =>
      b.awareness.on('change', () => b.awareness.getStates().get(a.doc.clientID)?.user && resolve()),
    );
    a.awareness.setLocalStateField('user', { name: 'Editor' });
    // y-websocket would relay a's state from inside this very change event.
    await seenByB;
    expect(sentEntries.length).toBeGreaterThan(0);
    expect(sentEntries.every((ids) => ids.length === 1 && ids[0] === b.doc.clientID)).toBe(true);
  });

  it('ST3: many small edits compact into a snapshot without losing any', async () => {
    const writer = open('editor');
    await writer.whenSynced();
    for (let i = 0; i < 130; i++) setReleaseField(writer.doc, 'genre', `Genre ${i}`);
    const reader = open('manager');
    await waitForDoc(reader.doc, (doc) => readReleaseFields(doc).genre === 'Genre 129');
    const loaded = await stack.stores.documents.load(stack.demoReleaseId);
    expect(loaded!.log.length).toBeLessThan(130);
    expect(readReleaseFields(loaded!.doc).genre).toBe('Genre 129');
  });

  it('sends large updates in chunks that reassemble across handler workers', async () => {
    const [a, b] = [open('editor'), open('manager')];
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    const longNotes = Array.from(
      { length: 3000 },
      (_, i) => `Line ${i}: mastering notes, stems and artwork`,
    ).join('\n');
    replaceNotesText(a.doc, longNotes);
    await waitForDoc(b.doc, (doc) => readNotesText(doc) === longNotes);
    expect(readNotesText(await stored())).toBe(longNotes);
  });
});
