import type { Metadata } from 'next';
import { ResetPasswordForm } from '@/components/auth/reset-password-form';
import { firstParam } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  return <ResetPasswordForm initialEmail={firstParam(params.email)} sentTo={firstParam(params.sentTo)} />;
}
