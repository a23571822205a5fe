import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { GetStarted } from '@/components/ui/get-started';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Map' };

export default async function MapPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Service map" description="Who calls whom, how much, how badly — live." />
      <EmptyState title="No services have reported yet">
        <p>The map draws itself from traces. Once spans arrive, every service and dependency appears here with its rate, errors and latency.</p>
        <GetStarted isAdmin={user.role === 'admin'} />
      </EmptyState>
    </>
  );
}
