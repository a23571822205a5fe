// POST /api/incidents/:id/acknowledge {note?} — acknowledge the incident and its firing alerts (responder and above)
import { z } from 'zod';
import { acknowledgeIncident } from '@/lib/correlate/incidents';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';
import { IncidentActionInput } from '@/lib/schemas/incidents';

export const POST = defineRoute({
  access: { permission: 'acknowledge' },
  params: z.object({ id: Uuid }),
  body: IncidentActionInput,
  handler: ({ actor, params, body, ip }) => acknowledgeIncident({ actor, id: params.id!, input: body, ip }),
});
