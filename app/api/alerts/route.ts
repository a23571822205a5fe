// GET /api/alerts?state=&severity=&rule=&service=&from=&to=&limit= — alerts, most severe first, with open counts (read)
import { defineRoute } from '@/lib/http/define-route';
import { listAlerts } from '@/lib/detect/alerts';
import { AlertListQuery } from '@/lib/schemas/alerts';

export const GET = defineRoute({ access: { permission: 'read' }, query: AlertListQuery, handler: ({ actor, query }) => listAlerts({ actor, query }) });
