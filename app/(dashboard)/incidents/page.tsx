import type { Metadata } from 'next';
import { Suspense } from 'react';
import { IncidentsList } from '@/components/incidents/incidents-list';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Incidents' };

export default async function IncidentsPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Incidents" description="Related alerts grouped into one failure, root cause first." />
      {/* useSearchParams needs a Suspense boundary; the filters live in the URL. */}
      <Suspense fallback={<p className="loading">Loading incidents…</p>}>
        <IncidentsList />
      </Suspense>
    </>
  );
}
