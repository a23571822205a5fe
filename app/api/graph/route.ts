// GET /api/graph?from=&to= — the dependency map from rollups, with health, probes and breakers (read)
import { getGraph } from '@/lib/graph/graph';
import { defineRoute } from '@/lib/http/define-route';
import { GraphQuery } from '@/lib/schemas/graph';

export const GET = defineRoute({ access: { permission: 'read' }, query: GraphQuery, handler: ({ query }) => getGraph(query) });
