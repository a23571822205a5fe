// GET /api/health/live — the process is up (application/health+json)
import { defineRoute } from '@/lib/http/define-route';
import { healthResponse, liveness } from '@/lib/health/self-health';

export const dynamic = 'force-dynamic';
export const GET = defineRoute({ access: { public: true }, handler: async () => healthResponse(liveness()) });
