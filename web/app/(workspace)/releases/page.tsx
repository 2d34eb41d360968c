import { isReleaseStatus } from '@patchline/shared';
import type { Metadata } from 'next';
import { ReleaseList } from '@/components/releases/release-list';
import { firstParam } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Releases' };

export default async function ReleasesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const status = firstParam(params.status);
  return (
    <ReleaseList
      initialQuery={firstParam(params.q) ?? ''}
      initialStatus={isReleaseStatus(status) ? status : null}
    />
  );
}
