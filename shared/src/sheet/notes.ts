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
