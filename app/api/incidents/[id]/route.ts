// GET /api/incidents/:id — one incident with its failure timeline (read)
import { z } from 'zod';
import { getIncident } from '@/lib/correlate/incidents';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => getIncident({ actor, id: params.id! }) });
