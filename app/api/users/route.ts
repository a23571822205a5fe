// GET /api/users — list users; POST /api/users — create one (admin)
import { createUser, listAllUsers } from '@/lib/auth/users';
import { defineRoute } from '@/lib/http/define-route';
import { CreateUserInput } from '@/lib/schemas/auth';

export const GET = defineRoute({ access: { permission: 'admin' }, handler: ({ actor }) => listAllUsers({ actor }) });

export const POST = defineRoute({
  access: { permission: 'admin' },
  body: CreateUserInput,
  handler: async ({ actor, body, ip }) => Response.json(await createUser({ actor, input: body, ip }), { status: 201 }),
});
