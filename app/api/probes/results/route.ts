// GET /api/probes/results?service=&target=&from=&to=&limit= — a service's probe history, newest first (read)
import { defineRoute } from '@/lib/http/define-route';
import { getProbeResults } from '@/lib/probes/queries';
import { ProbeResultsQuery } from '@/lib/schemas/probes';

export const GET = defineRoute({ access: { permission: 'read' }, query: ProbeResultsQuery, handler: ({ query }) => getProbeResults(query) });
