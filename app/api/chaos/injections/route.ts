// GET /api/chaos/injections?from=&to=&limit= — fault switches that were on in the range, oldest first (read)
import { listFaultInjections } from '@/lib/chaos/faults';
import { defineRoute } from '@/lib/http/define-route';
import { FaultInjectionsQuery } from '@/lib/schemas/chaos';

export const GET = defineRoute({
  access: { permission: 'read' },
  query: FaultInjectionsQuery,
  handler: ({ actor, query }) => listFaultInjections({ actor, ...query }),
});
