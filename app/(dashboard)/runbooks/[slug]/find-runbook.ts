import { cache } from 'react';
import { requirePageUser } from '@/lib/auth/page-session';
import { getRunbookBySlug } from '@/lib/runbooks/runbooks';
import { RunbookSlug } from '@/lib/schemas/runbooks';

/** The runbook a /runbooks/[slug]/… page shows, or null; one lookup per request, shared by its title and body. */
export const findRunbook = cache(async (slug: string) => {
  const parsed = RunbookSlug.safeParse(slug);
  return parsed.success ? getRunbookBySlug({ actor: await requirePageUser(), slug: parsed.data }) : null;
});
