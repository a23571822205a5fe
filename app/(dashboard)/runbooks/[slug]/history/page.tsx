import type { Metadata } from 'next';
import Link from 'next/link';
import { RunbookHistory } from '@/components/runbooks/runbook-history';
import { RunbookNotFound } from '@/components/runbooks/runbook-view';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';
import { findRunbook } from '../find-runbook';

interface Props {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runbook = await findRunbook((await params).slug);
  return { title: runbook ? `History · ${runbook.title}` : 'Runbook not found' };
}

export default async function RunbookHistoryPage({ params }: Props) {
  const user = await requirePageUser();
  const { slug } = await params;
  const runbook = await findRunbook(slug);
  if (!runbook) {
    return (
      <>
        <p className="trace-back">
          <Link href="/runbooks">← All runbooks</Link>
        </p>
        <RunbookNotFound slug={slug} />
      </>
    );
  }
  // The back link lives in RunbookHistory: a restore can change the slug it points to.
  return <RunbookHistory runbook={runbook} canEdit={roleAllows(user.role, 'edit_runbooks')} />;
}
