import type { Metadata } from 'next';
import Link from 'next/link';
import { RunbookNotFound, RunbookView } from '@/components/runbooks/runbook-view';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';
import { findRunbook } from './find-runbook';

interface Props {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runbook = await findRunbook((await params).slug);
  return { title: runbook ? runbook.title : 'Runbook not found' };
}

export default async function RunbookPage({ params }: Props) {
  const user = await requirePageUser();
  const { slug } = await params;
  const runbook = await findRunbook(slug);
  return (
    <>
      <p className="trace-back">
        <Link href="/runbooks">← All runbooks</Link>
      </p>
      {runbook ? <RunbookView runbook={runbook} canEdit={roleAllows(user.role, 'edit_runbooks')} /> : <RunbookNotFound slug={slug} />}
    </>
  );
}
