import type { ReactNode } from 'react';
import { FiringCount } from '@/components/alerts/firing-count';
import { AppShell } from '@/components/ui/app-shell';
import { requirePageUser } from '@/lib/auth/page-session';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <AppShell user={user} navBadges={{ '/alerts': <FiringCount /> }}>
      {children}
    </AppShell>
  );
}
