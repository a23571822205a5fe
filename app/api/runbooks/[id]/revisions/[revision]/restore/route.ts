// POST /api/runbooks/:id/revisions/:revision/restore {baseRevision} — bring an old revision back as a new one (editor and above)
import { defineRoute } from '@/lib/http/define-route';
import { restoreRunbookRevision } from '@/lib/runbooks/runbooks';
import { RestoreRunbookInput, RevisionParams } from '@/lib/schemas/runbooks';

export const POST = defineRoute({
  access: { permission: 'edit_runbooks' },
  params: RevisionParams,
  body: RestoreRunbookInput,
  handler: ({ actor, params, body, ip }) => restoreRunbookRevision({ actor, id: params.id!, revision: Number(params.revision), input: body, ip }),
});
