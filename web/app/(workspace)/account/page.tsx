import type { Metadata } from 'next';
import { AccountSecurity } from '@/components/account/account-security';

export const metadata: Metadata = { title: 'Account and security' };

export default function AccountPage() {
  return <AccountSecurity />;
}
