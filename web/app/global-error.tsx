'use client';

import './globals.css';

/** Replaces the root layout when it fails itself (for example, reading the configuration). */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = (error as { digest?: string } | null)?.digest;
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <main className="mx-auto flex max-w-xl flex-col gap-4 p-8" role="alert">
          <h1 className="text-xl font-semibold">Patchline could not start this page</h1>
          <p>Try again in a moment.{digest ? ` (Reference ${digest})` : ''}</p>
          <button
            type="button"
            className="bg-primary text-primary-foreground w-fit rounded-md px-4 py-2 text-sm font-medium"
            onClick={() => retry()}
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
