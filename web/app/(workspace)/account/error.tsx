'use client';

import { PageError } from '@/components/page-states';

export default function ErrorBoundary({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError error={error} retry={retry} title="Your account could not be shown" />;
}
