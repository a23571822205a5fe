// POST /api/alerts/:id/acknowledge {note?} — "I have it" (responder and above); already acknowledged is a 200 saying by whom
import { z } from 'zod';
import { acknowledgeAlert } from '@/lib/detect/alerts';
import { defineRoute } from '@/lib/http/define-route';
import { AcknowledgeInput } from '@/lib/schemas/alerts';
import { Uuid } from '@/lib/schemas/common';

export const POST = defineRoute({
  access: { permission: 'acknowledge' },
  params: z.object({ id: Uuid }),
  body: AcknowledgeInput,
  handler: ({ actor, params, body, ip }) => acknowledgeAlert({ actor, id: params.id!, input: body, ip }),
});
