// PATCH /api/probe-targets/:id — edit, pause or resume a target; DELETE — remove it (admin)
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { deleteProbeTarget, updateProbeTarget } from '@/lib/probes/targets';
import { Uuid } from '@/lib/schemas/common';
import { UpdateProbeTargetInput } from '@/lib/schemas/probes';

const params = z.object({ id: Uuid });

export const PATCH = defineRoute({
  access: { permission: 'admin' },
  params,
  body: UpdateProbeTargetInput,
  handler: ({ actor, params, body, ip }) => updateProbeTarget({ actor, id: params.id!, input: body, ip }),
});

export const DELETE = defineRoute({
  access: { permission: 'admin' },
  params,
  handler: ({ actor, params, ip }) => deleteProbeTarget({ actor, id: params.id!, ip }),
});
