// GET /api/traces/:traceId — every stored span of one trace
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { TraceId } from '@/lib/schemas/traces';
import { getTrace } from '@/lib/traces/queries';

export const GET = defineRoute({
  access: { permission: 'read' },
  params: z.object({ traceId: TraceId }),
  handler: ({ actor, params }) => getTrace({ actor, traceId: params.traceId! }),
});
