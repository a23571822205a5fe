import type { ReactNode } from 'react';
import { AdminOnly } from '@/components/settings/admin-only';
import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import { requirePageUser } from '@/lib/auth/page-session';

const ADMIN_TABS = [
  { href: '/settings/users', label: 'Users' },
  { href: '/settings/api-keys', label: 'API keys' },
  { href: '/settings/probes', label: 'Probes' },
  { href: '/settings/alert-rules', label: 'Alert rules' },
  { href: '/settings/notifications', label: 'Notifications' },
  { href: '/settings/chaos', label: 'Chaos' },
  { href: '/settings/audit', label: 'Audit log' },
] as const;

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Settings" />
      {/* The API refuses non-admins as well; this only spares them a page of errors. */}
      {user.role === 'admin' ? (
        <>
          <Tabs label="Settings sections" links={ADMIN_TABS} />
          {children}
        </>
      ) : (
        <AdminOnly email={user.email} role={user.role} />
      )}
    </>
  );
}
