// PATCH /api/webhooks/:id — edit a destination; DELETE — remove it and its queued notifications (admin)
import { z } from 'zod';
import { deleteWebhook, updateWebhook } from '@/lib/notify/destinations';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';
import { UpdateWebhookInput } from '@/lib/schemas/notify';

const params = z.object({ id: Uuid });

export const PATCH = defineRoute({ access: { permission: 'admin' }, params, body: UpdateWebhookInput, handler: ({ actor, params, body, ip }) => updateWebhook({ actor, id: params.id!, input: body, ip }) });

export const DELETE = defineRoute({ access: { permission: 'admin' }, params, handler: ({ actor, params, ip }) => deleteWebhook({ actor, id: params.id!, ip }) });
