import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { GetStarted } from '@/components/ui/get-started';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Traces' };

export default async function TracesPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Traces" description="Search spans and open any trace as a waterfall." />
      <EmptyState title="No traces stored">
        <p>Faultline accepts OTLP/HTTP on /v1/traces from any OpenTelemetry SDK or Collector, no adapter needed.</p>
        <GetStarted isAdmin={user.role === 'admin'} />
      </EmptyState>
    </>
  );
}
