// GET /api/services/:service/metrics?from=&to= — RED per minute, callers and callees (read)
import { z } from 'zod';
import { getServiceMetrics } from '@/lib/graph/service-metrics';
import { defineRoute } from '@/lib/http/define-route';
import { EntityName } from '@/lib/schemas/common';
import { ServiceMetricsQuery } from '@/lib/schemas/graph';

export const GET = defineRoute({
  access: { permission: 'read' },
  params: z.object({ service: EntityName }),
  query: ServiceMetricsQuery,
  handler: ({ params, query }) => getServiceMetrics(params.service!, query),
});
