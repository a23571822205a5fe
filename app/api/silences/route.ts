// GET /api/silences — silences in force, scheduled or ended in the last day (read); POST — silence a rule and/or service (responder and above)
import { createSilence, listSilences } from '@/lib/detect/silences';
import { defineRoute } from '@/lib/http/define-route';
import { SilenceInput } from '@/lib/schemas/alerts';

export const GET = defineRoute({ access: { permission: 'read' }, handler: ({ actor }) => listSilences({ actor }) });

export const POST = defineRoute({
  access: { permission: 'acknowledge' },
  body: SilenceInput,
  handler: async ({ actor, body, ip }) => Response.json(await createSilence({ actor, input: body, ip }), { status: 201 }),
});
