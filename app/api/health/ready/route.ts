// GET /api/health/ready — database reachable and migrations applied; 503 otherwise
import { defineRoute } from '@/lib/http/define-route';
import { healthResponse, readiness } from '@/lib/health/self-health';

export const dynamic = 'force-dynamic';
export const GET = defineRoute({ access: { public: true }, handler: async () => healthResponse(await readiness()) });
