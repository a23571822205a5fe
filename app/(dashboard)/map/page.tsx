import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DependencyMap } from '@/components/graph/dependency-map';
import { GetStarted } from '@/components/ui/get-started';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Map' };

export default async function MapPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Dependency map" description="Who calls whom, how much, how badly: services by call depth, from trace rollups." />
      {/* useSearchParams needs a Suspense boundary; the range, live mode and filter live in the URL. */}
      <Suspense fallback={<p className="loading">Loading the dependency map…</p>}>
        <DependencyMap getStarted={<GetStarted isAdmin={user.role === 'admin'} />} />
      </Suspense>
    </>
  );
}
