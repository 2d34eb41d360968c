import type { Metadata } from 'next';
import { SignInForm } from '@/components/auth/sign-in-form';
import { firstParam, safeNext } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES: Record<string, string> = {
  confirmed: 'Your email is confirmed. Sign in to continue.',
  reset: 'Your password was changed. Sign in with the new one.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const notice = NOTICES[firstParam(params.notice) ?? ''];
  return <SignInForm next={safeNext(params.next)} initialEmail={firstParam(params.email)} notice={notice} />;
}
