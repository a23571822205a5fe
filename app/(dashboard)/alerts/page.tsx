import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Alerts" description="Error-rate and latency breaches, failing probes, open breakers, retry storms, queue lag." />
      <EmptyState title="No alerts are firing">
        <p>
          Alerts come from rules evaluated on incoming telemetry. With no traces, probes or breaker events yet, there is nothing to
          evaluate: start on the <Link href="/map">Map</Link>.
        </p>
      </EmptyState>
    </>
  );
}
