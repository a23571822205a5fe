// GET /api/runbooks/:id/revisions — every revision, newest first: who, when, why (read)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { listRunbookRevisions } from '@/lib/runbooks/runbooks';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => listRunbookRevisions({ actor, id: params.id! }) });
