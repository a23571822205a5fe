// GET /api/api-keys — list keys; POST /api/api-keys — create one, returning the key once (admin)
import { createApiKey, listKeys } from '@/lib/auth/api-keys';
import { defineRoute } from '@/lib/http/define-route';
import { CreateApiKeyInput } from '@/lib/schemas/auth';

export const GET = defineRoute({ access: { permission: 'admin' }, handler: ({ actor }) => listKeys({ actor }) });

export const POST = defineRoute({
  access: { permission: 'admin' },
  body: CreateApiKeyInput,
  handler: async ({ actor, body, ip }) =>
    Response.json(await createApiKey({ actor, input: body, ip }), { status: 201, headers: { 'Cache-Control': 'no-store' } }),
});
