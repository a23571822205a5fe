// GET /api/incidents?from=&to=&status= — incidents open at some point in the range, open first, with root cause, candidates and symptoms (read)
import { listIncidents } from '@/lib/correlate/incidents';
import { defineRoute } from '@/lib/http/define-route';
import { IncidentListQuery } from '@/lib/schemas/incidents';

export const GET = defineRoute({ access: { permission: 'read' }, query: IncidentListQuery, handler: ({ actor, query }) => listIncidents({ actor, query }) });
