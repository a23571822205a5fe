import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Runbooks' };

export default async function RunbooksPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Runbooks" description="Versioned fixes, one click from the alarm." />
      <EmptyState title="No runbooks yet">
        <p>
          Runbooks are markdown documents linked to services and alert kinds, so an alert shows the right fix. Editors and admins will
          write and edit them here.
        </p>
      </EmptyState>
    </>
  );
}
