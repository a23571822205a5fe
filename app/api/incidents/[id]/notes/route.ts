// PUT /api/incidents/:id/notes {notes} — replace the incident's markdown notes / postmortem (responder and above)
import { z } from 'zod';
import { saveIncidentNotes } from '@/lib/correlate/incidents';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';
import { IncidentNotesInput } from '@/lib/schemas/incidents';

export const PUT = defineRoute({
  access: { permission: 'acknowledge' },
  params: z.object({ id: Uuid }),
  body: IncidentNotesInput,
  maxBodyBytes: 256 * 1024,
  handler: ({ actor, params, body, ip }) => saveIncidentNotes({ actor, id: params.id!, input: body, ip }),
});
