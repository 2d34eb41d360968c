import { PageNotFound } from '@/components/page-states';

/**
 * One message for "no such release" and "not yours to read": the API answers 404 to both, so the
 * page never confirms that a release someone cannot read exists.
 */
export function ReleaseNotFound() {
  return (
    <PageNotFound
      title="Release not found"
      message="This release does not exist, or you do not have access to it. If someone shared it with you, open their link again or ask them to invite you."
    />
  );
}
