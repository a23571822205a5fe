import type { Metadata } from 'next';
import Link from 'next/link';
import { ServiceList } from '@/components/services/service-list';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Services' };

export default async function ServicesPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Services" description="Health probes and circuit breakers per service, refreshed every 10 seconds." />
      <ServiceList
        getStarted={
          <ul>
            <li>
              {user.role === 'admin' ? (
                <>
                  Add an HTTP health check in <Link href="/settings/probes">Settings → Probes</Link>: Faultline probes it on a schedule.
                </>
              ) : (
                <>Ask an admin to add an HTTP health check in Settings → Probes: Faultline probes it on a schedule.</>
              )}
            </li>
            <li>
              Or have services push probe results to <code>POST /v1/probes</code> and circuit-breaker transitions to <code>POST /v1/breaker-events</code>,
              with an API key that has the <code>ingest</code> scope.
            </li>
            <li>
              Services that send traces to <code>/v1/traces</code> are listed too.
            </li>
          </ul>
        }
      />
    </>
  );
}
