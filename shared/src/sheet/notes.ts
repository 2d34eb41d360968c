import * as Y from 'yjs';
import { notesFragment } from '../doc-layout.js';

/**
 * Replaces the notes with plain paragraphs, in the node shape Tiptap's collaboration
 * extension (y-prosemirror) uses: `paragraph` elements holding Y.XmlText. For seeding and
 * imports; interactive editing goes through Tiptap.
 */
export function replaceNotesText(doc: Y.Doc, text: string): void {
  const fragment = notesFragment(doc);
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    const paragraphs = text.split('\n').map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      if (line) paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    });
    fragment.insert(0, paragraphs);
  });
}

/**
 * Whether the notes hold only what the notes editor writes and can show: blocks that are
 * XmlElements, holding XmlElements and XmlTexts of plain text (with formatting). A document may
 * hold other content in the fragment (an old client, a raw Yjs write); the editor binding fails
 * on it, so the web app shows such notes read-only, as `readNotesText` reads them.
 */
export function notesFitEditor(doc: Y.Doc): boolean {
  const pending: unknown[] = notesFragment(doc).toArray();
  for (const block of pending) if (!(block instanceof Y.XmlElement)) return false;
  while (pending.length > 0) {
    const node = pending.pop();
    if (node instanceof Y.XmlElement) {
      for (const child of node.toArray()) pending.push(child);
    } else if (node instanceof Y.XmlText) {
      const delta = node.toDelta() as Array<{ insert?: unknown }>;
      if (delta.some((op) => typeof op.insert !== 'string')) return false;
    } else return false;
  }
  return true;
}
