// GET /api/webhooks — notification destinations with their outbox counts; POST — add one (admin)
import { createWebhook, listWebhooks } from '@/lib/notify/destinations';
import { defineRoute } from '@/lib/http/define-route';
import { CreateWebhookInput } from '@/lib/schemas/notify';

export const GET = defineRoute({ access: { permission: 'admin' }, handler: ({ actor }) => listWebhooks({ actor }) });

export const POST = defineRoute({
  access: { permission: 'admin' },
  body: CreateWebhookInput,
  handler: async ({ actor, body, ip }) => Response.json(await createWebhook({ actor, input: body, ip }), { status: 201 }),
});
