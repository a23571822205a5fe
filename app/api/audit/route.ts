// GET /api/audit?limit= — the most recent audit-log entries (admin)
import { z } from 'zod';
import { listAudit } from '@/lib/auth/audit';
import { defineRoute } from '@/lib/http/define-route';

export const GET = defineRoute({
  access: { permission: 'admin' },
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  handler: ({ actor, query }) => listAudit({ actor, limit: query.limit }),
});
