import { ReleaseNotFound } from '@/components/release-sheet/release-not-found';

export default function NotFound() {
  return <ReleaseNotFound />;
}
