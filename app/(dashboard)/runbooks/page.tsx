import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunbooksList } from '@/components/runbooks/runbooks-list';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';

export const metadata: Metadata = { title: 'Runbooks' };

export default async function RunbooksPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Runbooks" description="Versioned fixes, one click from the alarm." />
      {/* useSearchParams needs a Suspense boundary; the search lives in the URL. */}
      <Suspense fallback={<p className="loading">Loading runbooks…</p>}>
        {/* The API refuses viewers' writes as well; this only spares them a link that would fail. */}
        <RunbooksList canCreate={roleAllows(user.role, 'edit_runbooks')} />
      </Suspense>
    </>
  );
}
