// GET /api/probe-targets — targets of the active prober with their latest result (read); POST — add one (admin)
import { defineRoute } from '@/lib/http/define-route';
import { createProbeTarget, listProbeTargets } from '@/lib/probes/targets';
import { CreateProbeTargetInput } from '@/lib/schemas/probes';

export const GET = defineRoute({ access: { permission: 'read' }, handler: ({ actor }) => listProbeTargets({ actor }) });

export const POST = defineRoute({
  access: { permission: 'admin' },
  body: CreateProbeTargetInput,
  handler: async ({ actor, body, ip }) => Response.json(await createProbeTarget({ actor, input: body, ip }), { status: 201 }),
});
