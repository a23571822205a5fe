// GET /api/runbooks/:id — the latest revision, rendered (read); PUT — save a new revision on top of baseRevision, 409 with a merge when stale (editor and above)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { getRunbook, updateRunbook } from '@/lib/runbooks/runbooks';
import { Uuid } from '@/lib/schemas/common';
import { RUNBOOK_BODY_MAX, UpdateRunbookInput } from '@/lib/schemas/runbooks';

const params = z.object({ id: Uuid });

export const GET = defineRoute({ access: { permission: 'read' }, params, handler: ({ actor, params }) => getRunbook({ actor, id: params.id! }) });

export const PUT = defineRoute({
  access: { permission: 'edit_runbooks' },
  params,
  body: UpdateRunbookInput,
  maxBodyBytes: RUNBOOK_BODY_MAX * 4 + 64 * 1024,
  handler: ({ actor, params, body, ip }) => updateRunbook({ actor, id: params.id!, input: body, ip }),
});
