// GET /api/traces/services — names of the services that have sent spans
import { defineRoute } from '@/lib/http/define-route';
import { listServices } from '@/lib/traces/queries';

export const GET = defineRoute({ access: { permission: 'read' }, handler: ({ actor }) => listServices({ actor }) });
