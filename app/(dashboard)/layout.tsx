import type { ReactNode } from 'react';
import { FiringCount } from '@/components/alerts/firing-count';
import { OpenIncidentCount } from '@/components/incidents/open-incident-count';
import { AppShell } from '@/components/ui/app-shell';
import { requirePageUser } from '@/lib/auth/page-session';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <AppShell user={user} navBadges={{ '/incidents': <OpenIncidentCount />, '/alerts': <FiringCount /> }}>
      {children}
    </AppShell>
  );
}
