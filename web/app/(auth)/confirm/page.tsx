import type { Metadata } from 'next';
import { ConfirmPageContent } from '@/components/auth/confirm-page-content';
import { firstParam, safeNext } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Confirm your email' };

export default async function ConfirmPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  return <ConfirmPageContent email={firstParam(params.email) ?? ''} next={safeNext(params.next)} />;
}
