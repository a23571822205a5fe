import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertsList } from '@/components/alerts/alerts-list';
import { SilencesPanel } from '@/components/alerts/silences-panel';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const user = await requirePageUser();
  // The API refuses viewers' writes as well; this only spares them buttons that would fail.
  const canAct = user.role !== 'viewer';
  return (
    <>
      <PageHeader title="Alerts" description="Error-rate and latency breaches, failing probes, open breakers, retry storms, queue lag and traffic drops, as the detector finds them." />
      {/* useSearchParams needs a Suspense boundary; the filters live in the URL. */}
      <Suspense fallback={<p className="loading">Loading alerts…</p>}>
        <AlertsList canAct={canAct} />
      </Suspense>
      <SilencesPanel canAct={canAct} />
    </>
  );
}
