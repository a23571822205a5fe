import type { Metadata } from 'next';
import Link from 'next/link';
import { RunbookEditor } from '@/components/runbooks/runbook-editor';
import { EditorRoleNeeded, RunbookNotFound } from '@/components/runbooks/runbook-view';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';
import { findRunbook } from '../find-runbook';

interface Props {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runbook = await findRunbook((await params).slug);
  return { title: runbook ? `Edit ${runbook.title}` : 'Runbook not found' };
}

export default async function EditRunbookPage({ params }: Props) {
  const user = await requirePageUser();
  const { slug } = await params;
  const runbook = await findRunbook(slug);
  const back = (
    <p className="trace-back">
      <Link href={runbook ? `/runbooks/${runbook.slug}` : '/runbooks'}>{runbook ? `← ${runbook.title}` : '← All runbooks'}</Link>
    </p>
  );
  if (!runbook) {
    return (
      <>
        {back}
        <RunbookNotFound slug={slug} />
      </>
    );
  }
  if (!roleAllows(user.role, 'edit_runbooks')) {
    return (
      <>
        {back}
        <EditorRoleNeeded role={user.role} title={`Edit ${runbook.title}`} />
      </>
    );
  }
  return (
    <>
      {back}
      <RunbookEditor runbook={runbook} />
    </>
  );
}
