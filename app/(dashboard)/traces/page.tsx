import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TraceSearch } from '@/components/traces/trace-search';
import { GetStarted } from '@/components/ui/get-started';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Traces' };

export default async function TracesPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Traces" description="Search spans and open any trace as a waterfall." />
      {/* useSearchParams needs a Suspense boundary; the search state lives in the URL. */}
      <Suspense fallback={<p className="loading">Loading search…</p>}>
        <TraceSearch
          getStarted={
            <>
              <p>Faultline accepts OTLP/HTTP on /v1/traces from any OpenTelemetry SDK or Collector, no adapter needed.</p>
              <GetStarted isAdmin={user.role === 'admin'} />
            </>
          }
        />
      </Suspense>
    </>
  );
}
