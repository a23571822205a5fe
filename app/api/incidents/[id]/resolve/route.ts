// POST /api/incidents/:id/resolve {note?} — resolve the incident and its open alerts by hand (responder and above)
import { z } from 'zod';
import { resolveIncident } from '@/lib/correlate/incidents';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';
import { IncidentActionInput } from '@/lib/schemas/incidents';

export const POST = defineRoute({
  access: { permission: 'acknowledge' },
  params: z.object({ id: Uuid }),
  body: IncidentActionInput,
  handler: ({ actor, params, body, ip }) => resolveIncident({ actor, id: params.id!, input: body, ip }),
});
