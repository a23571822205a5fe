// POST /api/notifications/:id/retry — queue a dead-lettered notification again (admin)
import { z } from 'zod';
import { retryNotification } from '@/lib/notify/destinations';
import { defineRoute } from '@/lib/http/define-route';

export const POST = defineRoute({
  access: { permission: 'admin' },
  params: z.object({ id: z.string().regex(/^[0-9]{1,18}$/, 'must be a notification id') }),
  handler: ({ actor, params, ip }) => retryNotification({ actor, id: params.id!, ip }),
});
