import type { Metadata } from 'next';
import Link from 'next/link';
import { ServiceDetail } from '@/components/services/service-detail';
import { describeTimeRange, parseTimeRange } from '@/components/services/service-model';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';
import { EntityName } from '@/lib/schemas/common';

interface Props {
  params: Promise<{ service: string }>;
  searchParams: Promise<{ range?: string | string[] }>;
}

/** The service name from its path segment: App Router params can arrive still percent-encoded, so decode what looks encoded. */
function serviceFromSegment(segment: string): string {
  if (!/%[0-9a-f]{2}/i.test(segment)) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: serviceFromSegment((await params).service) };
}

export default async function ServicePage({ params, searchParams }: Props) {
  const user = await requirePageUser();
  const parsed = EntityName.safeParse(serviceFromSegment((await params).service));
  const range = parseTimeRange((await searchParams).range);
  const back = (
    <p className="trace-back">
      <Link href="/services">← All services</Link>
    </p>
  );
  if (!parsed.success) {
    return (
      <>
        {back}
        <PageHeader title="Services" />
        <EmptyState title="Not a service name">
          <p>Service names are 1 to 256 characters long.</p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {back}
      <PageHeader title={parsed.data} description={`Traffic, errors and latency, callers and callees, health probes and circuit breakers over ${describeTimeRange(range)}, refreshed every 10 seconds.`} />
      <ServiceDetail service={parsed.data} range={range} canManageProbes={user.role === 'admin'} />
    </>
  );
}
