// POST /api/alerts/:id/resolve {note?} — resolve by hand (responder and above)
import { z } from 'zod';
import { resolveAlert } from '@/lib/detect/alerts';
import { defineRoute } from '@/lib/http/define-route';
import { ResolveInput } from '@/lib/schemas/alerts';
import { Uuid } from '@/lib/schemas/common';

export const POST = defineRoute({
  access: { permission: 'acknowledge' },
  params: z.object({ id: Uuid }),
  body: ResolveInput,
  handler: ({ actor, params, body, ip }) => resolveAlert({ actor, id: params.id!, input: body, ip }),
});
