import type { ReactNode } from 'react';
import { AppShell } from '@/components/ui/app-shell';
import { requirePageUser } from '@/lib/auth/page-session';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return <AppShell user={user}>{children}</AppShell>;
}
