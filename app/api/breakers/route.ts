// GET /api/breakers?service=&from=&to= — breaker state per caller→dependency edge, with state bands (read)
import { getBreakers } from '@/lib/breakers/queries';
import { defineRoute } from '@/lib/http/define-route';
import { BreakerQuery } from '@/lib/schemas/breakers';

export const GET = defineRoute({ access: { permission: 'read' }, query: BreakerQuery, handler: ({ query }) => getBreakers(query) });
