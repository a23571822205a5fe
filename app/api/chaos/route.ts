// GET /api/chaos — whether chaos is on, the demo fleet and recent fault switches; POST — switch a fault on (admin)
import { getChaosState, injectFault } from '@/lib/chaos/faults';
import { defineRoute } from '@/lib/http/define-route';
import { InjectFaultInput } from '@/lib/schemas/chaos';

export const GET = defineRoute({ access: { permission: 'admin' }, handler: ({ actor }) => getChaosState({ actor }) });

export const POST = defineRoute({
  access: { permission: 'admin' },
  body: InjectFaultInput,
  handler: async ({ actor, body, ip }) => Response.json(await injectFault({ actor, input: body, ip }), { status: 201 }),
});
