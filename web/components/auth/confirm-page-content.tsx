'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { withQuery } from '@/lib/safe-next';
import { AuthCard } from './auth-card';
import { ConfirmCodeForm } from './confirm-code-form';

/** /confirm: for someone who left sign-up before entering the code, or whose sign-in said so. */
export function ConfirmPageContent({ email, next }: { email: string; next: string }) {
  const router = useRouter();
  return (
    <AuthCard
      title="Confirm your email"
      description="Enter the confirmation code of your new account."
      footer={
        <Link
          className="text-primary underline-offset-4 hover:underline"
          href={withQuery('/sign-in', { next, email })}
        >
          Back to sign in
        </Link>
      }
    >
      <ConfirmCodeForm
        email={email}
        isEmailEditable={!email}
        onConfirmed={(confirmed) =>
          router.replace(withQuery('/sign-in', { email: confirmed, next, notice: 'confirmed' }))
        }
      />
    </AuthCard>
  );
}
