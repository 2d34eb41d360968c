import { PageLoading } from '@/components/page-states';

export default function Loading() {
  return <PageLoading label="Opening the release…" />;
}
