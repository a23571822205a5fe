// POST /api/alerts/:id/notes {note} — add a note to the alert's history (responder and above)
import { z } from 'zod';
import { addAlertNote } from '@/lib/detect/alerts';
import { defineRoute } from '@/lib/http/define-route';
import { AlertNoteInput } from '@/lib/schemas/alerts';
import { Uuid } from '@/lib/schemas/common';

export const POST = defineRoute({
  access: { permission: 'acknowledge' },
  params: z.object({ id: Uuid }),
  body: AlertNoteInput,
  handler: async ({ actor, params, body, ip }) => Response.json(await addAlertNote({ actor, id: params.id!, input: body, ip }), { status: 201 }),
});
