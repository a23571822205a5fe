import type { Metadata } from 'next';
import { AlertDetail } from '@/components/alerts/alert-detail';
import { DetailPage } from '@/components/ui/detail-page';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';

export const metadata: Metadata = { title: 'Alert' };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function AlertPage({ params }: Props) {
  const user = await requirePageUser();
  return (
    <DetailPage id={(await params).id} list={{ href: '/alerts', title: 'Alerts' }} noun="alert">
      {/* The API refuses viewers' writes as well; this only spares them buttons that would fail. */}
      {(id) => <AlertDetail id={id} canAct={roleAllows(user.role, 'acknowledge')} canEditRunbooks={roleAllows(user.role, 'edit_runbooks')} />}
    </DetailPage>
  );
}
