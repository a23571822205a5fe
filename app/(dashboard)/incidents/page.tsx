import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Incidents' };

export default async function IncidentsPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Incidents" description="Related alerts grouped into one failure, root cause first." />
      <EmptyState title="No incidents">
        <p>
          Nothing is on fire. Incidents open when alerts fire on connected services; they need telemetry first — see the{' '}
          <Link href="/map">Map</Link> for how to send it.
        </p>
      </EmptyState>
    </>
  );
}
