import type { Metadata } from 'next';
import { IncidentDetail } from '@/components/incidents/incident-detail';
import { DetailPage } from '@/components/ui/detail-page';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';

export const metadata: Metadata = { title: 'Incident' };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function IncidentPage({ params }: Props) {
  const user = await requirePageUser();
  return (
    <DetailPage id={(await params).id} list={{ href: '/incidents', title: 'Incidents' }} noun="incident">
      {/* The API refuses viewers' writes as well; this only spares them buttons that would fail. */}
      {(id) => <IncidentDetail id={id} canAct={roleAllows(user.role, 'acknowledge')} canEditRunbooks={roleAllows(user.role, 'edit_runbooks')} />}
    </DetailPage>
  );
}
