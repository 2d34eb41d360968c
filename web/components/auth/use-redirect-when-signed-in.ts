import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useSession } from '@/hooks/use-session';

/** On the account pages, someone already signed in goes straight on to `next`. */
export function useRedirectWhenSignedIn(next: string): void {
  const { status } = useSession();
  const router = useRouter();
  useEffect(() => {
    if (status === 'signed-in') router.replace(next);
  }, [status, next, router]);
}
