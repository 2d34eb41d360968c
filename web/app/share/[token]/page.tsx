import type { Metadata } from 'next';
import { ShareLinkLanding } from '@/components/share/share-link-landing';

export const metadata: Metadata = { title: 'Shared release' };

/** `/share/<token>`: a stable URL, pasted into mail and chat. */
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <ShareLinkLanding token={token} />;
}
