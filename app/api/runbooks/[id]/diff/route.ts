// GET /api/runbooks/:id/diff?from=&to= — what changed between any two revisions (read)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { compareRunbookRevisions } from '@/lib/runbooks/runbooks';
import { Uuid } from '@/lib/schemas/common';
import { RunbookDiffQuery } from '@/lib/schemas/runbooks';

export const GET = defineRoute({
  access: { permission: 'read' },
  params: z.object({ id: Uuid }),
  query: RunbookDiffQuery,
  handler: ({ actor, params, query }) => compareRunbookRevisions({ actor, id: params.id!, from: query.from, to: query.to }),
});
