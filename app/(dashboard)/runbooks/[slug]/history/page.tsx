import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { RunbookHistory } from '@/components/runbooks/runbook-history';
import { RunbookNotFound } from '@/components/runbooks/runbook-view';
import { requirePageUser } from '@/lib/auth/page-session';
import { roleAllows } from '@/lib/auth/permissions';
import { getRunbookBySlug } from '@/lib/runbooks/runbooks';
import { RunbookSlug } from '@/lib/schemas/runbooks';

interface Props {
  params: Promise<{ slug: string }>;
}

// One lookup per request, shared by the title and the page.
const findRunbook = cache(async (slug: string) => {
  const parsed = RunbookSlug.safeParse(slug);
  return parsed.success ? getRunbookBySlug({ actor: await requirePageUser(), slug: parsed.data }) : null;
});

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
