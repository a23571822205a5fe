// GET /api/incidents/:id/runbooks — runbooks for this incident (root cause first), with the section to open (read)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { runbooksForIncident } from '@/lib/runbooks/runbooks';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => runbooksForIncident({ actor, incidentId: params.id! }) });
