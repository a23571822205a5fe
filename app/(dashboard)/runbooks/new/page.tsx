import type { Metadata } from 'next';
import Link from 'next/link';
import { RunbookEditor } from '@/components/runbooks/runbook-editor';
import { prefillFromQuery } from '@/components/runbooks/runbook-model';
import { EditorRoleNeeded } from '@/components/runbooks/runbook-view';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';

export const metadata: Metadata = { title: 'New runbook' };

interface Props {
  searchParams: Promise<{ service?: string | string[]; ruleKind?: string | string[] }>;
}

/** `?service=checkout&ruleKind=error_rate` prefills the links, for "write a runbook for this" links from alerts and services. */
export default async function NewRunbookPage({ searchParams }: Props) {
  const user = await requirePageUser();
  const back = (
    <p className="trace-back">
      <Link href="/runbooks">← All runbooks</Link>
    </p>
  );
  if (!roleAllows(user.role, 'edit_runbooks')) {
    return (
      <>
        {back}
        <EditorRoleNeeded role={user.role} title="New runbook" />
      </>
    );
  }
  return (
    <>
      {back}
      <RunbookEditor runbook={null} prefill={prefillFromQuery(await searchParams)} />
    </>
  );
}
