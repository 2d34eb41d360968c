'use client';

import { notesFitEditor, notesFragment, readNotesText } from '@patchline/shared';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { BoldIcon, Heading3Icon, ItalicIcon, ListIcon, ListOrderedIcon } from 'lucide-react';
import { type ReactNode, useCallback, useEffect, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { Button } from '@/components/ui/button';
import type { Peer, PresenceUser } from '@/lib/collab/presence';
import type { Awareness } from '@/lib/collab/use-release-connection';
import { cn } from '@/lib/utils';
import './notes-editor.css';

interface NotesEditorProps {
  doc: Y.Doc;
  awareness: Awareness;
  user: PresenceUser;
  isEditable: boolean;
  /** Others with the notes focused: a ring in the first one's colour. */
  peers: readonly Peer[];
}

function ToolbarButton({
  label,
  isActive,
  disabled,
  onClick,
  children,
}: {
  label: string;
  isActive: boolean;
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button
      type="button"
      variant={isActive ? 'secondary' : 'ghost'}
      size="icon"
      className="size-8"
      aria-label={label}
      aria-pressed={isActive}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on the button would blur it first.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}

/** Re-reads `read(doc)` after every change of the document; `read` must return a primitive. */
function useDocValue<T extends string | boolean>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  const subscribe = useCallback(
    (onChange: () => void) => {
      doc.on('update', onChange);
      return () => doc.off('update', onChange);
    },
    [doc],
  );
  return useSyncExternalStore(
    subscribe,
    () => read(doc),
    () => read(doc),
  );
}

/**
 * The release notes. Tiptap's collaboration binding throws on nodes other than XmlElements and
 * XmlTexts (content a raw Yjs write may have stored in the fragment), which would take the whole
 * page down; such notes are shown read-only as plain text instead (`notesFitEditor`), while the
 * rest of the sheet stays editable.
 */
export function NotesEditor(props: NotesEditorProps) {
  const fitsEditor = useDocValue(props.doc, notesFitEditor);
  return fitsEditor ? <TiptapNotesEditor {...props} /> : <PlainNotes doc={props.doc} peers={props.peers} />;
}

function PlainNotes({ doc, peers }: Pick<NotesEditorProps, 'doc' | 'peers'>) {
  const text = useDocValue(doc, readNotesText);
  const first = peers[0];
  return (
    <section aria-labelledby="section-notes" className="rounded-lg border bg-card p-4 sm:p-5">
      <h2 id="section-notes" className="mb-3 flex h-8 items-center text-sm font-semibold tracking-tight">
        Notes
      </h2>
      <div
        id="field-notes"
        data-testid="notes-plain"
        data-field-path="notes"
        className="min-h-32 rounded-md border border-input bg-muted/40 px-3 py-2 text-sm whitespace-pre-wrap"
        style={first ? { boxShadow: `0 0 0 2px ${first.user.color}` } : undefined}
      >
        {text}
      </div>
      <p role="status" className="mt-2 text-xs text-muted-foreground">
        These notes hold content this editor cannot show, so they are read-only here as plain text.
      </p>
    </section>
  );
}

/**
 * The release notes: Tiptap bound to the document's `notes` fragment with carets of everyone
 * else. History comes from the Collaboration extension (y-prosemirror's undo, which only
 * reverts this user's changes), so StarterKit's own undo/redo is switched off.
 */
function TiptapNotesEditor({ doc, awareness, user, isEditable, peers }: NotesEditorProps) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: isEditable,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: { levels: [3] } }),
        Collaboration.configure({ fragment: notesFragment(doc) }),
        CollaborationCaret.configure({ provider: { awareness }, user }),
      ],
      editorProps: {
        attributes: {
          id: 'field-notes',
          'data-testid': 'notes-editor',
          'data-field-path': 'notes',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': 'section-notes',
          class: 'text-sm',
        },
      },
    },
    [doc, awareness],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== isEditable) editor.setEditable(isEditable);
  }, [editor, isEditable]);

  const state = useEditorState({
    editor,
    selector: ({ editor: current }) =>
      current
        ? {
            isBold: current.isActive('bold'),
            isItalic: current.isActive('italic'),
            isHeading: current.isActive('heading', { level: 3 }),
            isBulletList: current.isActive('bulletList'),
            isOrderedList: current.isActive('orderedList'),
          }
        : null,
  });

  const first = peers[0];
  const isDisabled = !editor || !isEditable;
  return (
    <section aria-labelledby="section-notes" className="rounded-lg border bg-card p-4 sm:p-5">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="section-notes" className="text-sm font-semibold tracking-tight">
          Notes
        </h2>
        <div role="toolbar" aria-label="Text formatting" className="flex items-center gap-0.5">
          <ToolbarButton
            label="Bold"
            isActive={!!state?.isBold}
            disabled={isDisabled}
            onClick={() => editor?.chain().focus().toggleBold().run()}
          >
            <BoldIcon aria-hidden />
          </ToolbarButton>
          <ToolbarButton
            label="Italic"
            isActive={!!state?.isItalic}
            disabled={isDisabled}
            onClick={() => editor?.chain().focus().toggleItalic().run()}
          >
            <ItalicIcon aria-hidden />
          </ToolbarButton>
          <ToolbarButton
            label="Heading"
            isActive={!!state?.isHeading}
            disabled={isDisabled}
            onClick={() => editor?.chain().focus().toggleHeading({ level: 3 }).run()}
          >
            <Heading3Icon aria-hidden />
          </ToolbarButton>
          <ToolbarButton
            label="Bulleted list"
            isActive={!!state?.isBulletList}
            disabled={isDisabled}
            onClick={() => editor?.chain().focus().toggleBulletList().run()}
          >
            <ListIcon aria-hidden />
          </ToolbarButton>
          <ToolbarButton
            label="Numbered list"
            isActive={!!state?.isOrderedList}
            disabled={isDisabled}
            onClick={() => editor?.chain().focus().toggleOrderedList().run()}
          >
            <ListOrderedIcon aria-hidden />
          </ToolbarButton>
        </div>
      </div>
      <div
        className={cn(
          'notes-editor relative rounded-md border border-input focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50',
          !isEditable && 'bg-muted/40',
        )}
        style={first ? { boxShadow: `0 0 0 2px ${first.user.color}` } : undefined}
      >
        <EditorContent editor={editor} />
        {first ? (
          <span
            className="pointer-events-none absolute -top-2 right-1.5 rounded px-1.5 text-[10px] leading-4 font-semibold text-white"
            style={{ backgroundColor: first.user.color }}
          >
            {first.user.name}
            {peers.length > 1 ? ` +${peers.length - 1}` : ''}
          </span>
        ) : null}
      </div>
      <p className="mt-2 text-xs text-muted-foreground">
        Ctrl/⌘+Z inside the notes undoes your own note edits only.
      </p>
    </section>
  );
}
