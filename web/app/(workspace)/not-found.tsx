import { PageNotFound } from '@/components/page-states';

export default function NotFound() {
  return <PageNotFound />;
}
