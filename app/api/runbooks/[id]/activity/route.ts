// GET /api/runbooks/:id/activity — the recent alerts and incidents this runbook matched (read)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { runbookActivity } from '@/lib/runbooks/runbooks';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => runbookActivity({ actor, id: params.id! }) });
