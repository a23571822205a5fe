// POST /api/webhooks/:id/test — send a sample notification now and report the receiver's answer (admin)
import { z } from 'zod';
import { testWebhook } from '@/lib/notify/destinations';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';

export const POST = defineRoute({ access: { permission: 'admin' }, params: z.object({ id: Uuid }), handler: ({ actor, params, ip }) => testWebhook({ actor, id: params.id!, ip }) });
