// GET /api/traces/operations?service= — span names of one service seen in the last day
import { defineRoute } from '@/lib/http/define-route';
import { OperationListQuery } from '@/lib/schemas/trace-catalog';
import { listOperations } from '@/lib/traces/queries';

export const GET = defineRoute({
  access: { permission: 'read' },
  query: OperationListQuery,
  handler: ({ actor, query }) => listOperations({ actor, service: query.service }),
});
