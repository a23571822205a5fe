// GET /api/probes?service=&from=&to= — probe status per service and check (read)
import { defineRoute } from '@/lib/http/define-route';
import { getProbeSummary } from '@/lib/probes/queries';
import { ProbeSummaryQuery } from '@/lib/schemas/probes';

export const GET = defineRoute({ access: { permission: 'read' }, query: ProbeSummaryQuery, handler: ({ query }) => getProbeSummary(query) });
