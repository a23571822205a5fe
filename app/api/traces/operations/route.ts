// GET /api/traces/operations?service= — span names of one service seen in the last day
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { listOperations } from '@/lib/traces/queries';

export const GET = defineRoute({
  access: { permission: 'read' },
  query: z.object({ service: z.string().trim().min(1, 'is required').max(256) }),
  handler: ({ actor, query }) => listOperations({ actor, service: query.service }),
});
