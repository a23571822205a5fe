// GET /api/alerts/:id — one alert with its history (read)
import { z } from 'zod';
import { getAlert } from '@/lib/detect/alerts';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => getAlert({ actor, id: params.id! }) });
