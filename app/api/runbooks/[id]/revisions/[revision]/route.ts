// GET /api/runbooks/:id/revisions/:revision — one revision's whole content (read)
import { defineRoute } from '@/lib/http/define-route';
import { getRunbookRevision } from '@/lib/runbooks/runbooks';
import { RevisionParams } from '@/lib/schemas/runbooks';

export const GET = defineRoute({
  access: { permission: 'read' },
  params: RevisionParams,
  handler: ({ actor, params }) => getRunbookRevision({ actor, id: params.id!, revision: Number(params.revision) }),
});
