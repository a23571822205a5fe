// DELETE /api/chaos/:id — switch a recorded fault off (admin)
import { z } from 'zod';
import { clearFault } from '@/lib/chaos/faults';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';

const params = z.object({ id: Uuid });

export const DELETE = defineRoute({
  access: { permission: 'admin' },
  params,
  handler: ({ actor, params, ip }) => clearFault({ actor, id: params.id!, ip }),
});
