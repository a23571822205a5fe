import type { Metadata } from 'next';
import Link from 'next/link';
import { AlertDetail } from '@/components/alerts/alert-detail';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';
import { Uuid } from '@/lib/schemas/common';

export const metadata: Metadata = { title: 'Alert' };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function AlertPage({ params }: Props) {
  const user = await requirePageUser();
  const { id } = await params;
  const back = (
    <p className="trace-back">
      <Link href="/alerts">← All alerts</Link>
    </p>
  );
  const parsed = Uuid.safeParse(id);
  if (!parsed.success) {
    return (
      <>
        {back}
        <PageHeader title="Alerts" />
        <EmptyState title="Not an alert id">
          <p>
            <code>{id}</code> is not an alert id: alert ids are UUIDs, as in the links on the Alerts page.
          </p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {back}
      {/* The API refuses viewers' writes as well; this only spares them buttons that would fail. */}
      <AlertDetail id={parsed.data} canAct={roleAllows(user.role, 'acknowledge')} canEditRunbooks={roleAllows(user.role, 'edit_runbooks')} />
    </>
  );
}
