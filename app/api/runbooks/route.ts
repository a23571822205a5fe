// GET /api/runbooks?q=&service=&ruleKind=&tag= — runbooks, full-text search best first (read); POST — create one (editor and above)
import { defineRoute } from '@/lib/http/define-route';
import { createRunbook, listRunbooks } from '@/lib/runbooks/runbooks';
import { CreateRunbookInput, RUNBOOK_BODY_MAX, RunbookListQuery } from '@/lib/schemas/runbooks';

export const GET = defineRoute({ access: { permission: 'read' }, query: RunbookListQuery, handler: ({ actor, query }) => listRunbooks({ actor, query }) });

export const POST = defineRoute({
  access: { permission: 'edit_runbooks' },
  body: CreateRunbookInput,
  maxBodyBytes: RUNBOOK_BODY_MAX * 4 + 64 * 1024,
  handler: async ({ actor, body, ip }) => Response.json(await createRunbook({ actor, input: body, ip }), { status: 201 }),
});
