// GET /api/traces?service=&operation=&status=&minDuration=&from=&to=&limit= — trace search, latest first
import { defineRoute } from '@/lib/http/define-route';
import { TraceSearchQuery } from '@/lib/schemas/traces';
import { searchTraces } from '@/lib/traces/queries';

export const GET = defineRoute({
  access: { permission: 'read' },
  query: TraceSearchQuery,
  handler: ({ actor, query }) => searchTraces({ actor, query }),
});
