import type { Metadata } from 'next';
import { LabelAdmin } from '@/components/admin/label-admin';

export const metadata: Metadata = { title: 'Label admin' };

export default function AdminPage() {
  return <LabelAdmin />;
}
