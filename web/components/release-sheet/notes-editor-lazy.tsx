'use client';

import dynamic from 'next/dynamic';

/**
 * Tiptap and ProseMirror are the largest part of the editor's JavaScript, and the notes sit at
 * the bottom of the sheet: they load after the form is usable, keeping the route's first load
 * small. The placeholder has the editor's height, so nothing moves when it arrives.
 */
export const LazyNotesEditor = dynamic(() => import('./notes-editor').then((module) => module.NotesEditor), {
  ssr: false,
  loading: () => (
    <section aria-label="Notes" aria-busy="true" className="rounded-lg border bg-card p-4 sm:p-5">
      <div className="mb-3 flex h-8 items-center text-sm font-semibold tracking-tight">Notes</div>
      <div className="min-h-32 rounded-md border border-input bg-muted/40" />
      <div className="mt-2 h-4" />
    </section>
  ),
});
