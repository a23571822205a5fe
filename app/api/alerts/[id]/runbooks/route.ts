// GET /api/alerts/:id/runbooks — runbooks for this alert, best match first, with the section to open (read)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { runbooksForAlert } from '@/lib/runbooks/runbooks';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => runbooksForAlert({ actor, alertId: params.id! }) });
