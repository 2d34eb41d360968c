import { CenteredPage } from '@/components/centered-page';
import { PageNotFound } from '@/components/page-states';

export default function NotFound() {
  return (
    <CenteredPage>
      <PageNotFound />
    </CenteredPage>
  );
}
