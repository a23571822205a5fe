// POST /v1/probes — pushed health-probe results (JSON batch or health+json document), ingest API key
import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { ingestProbePush } from '@/lib/probes/ingest';

export const dynamic = 'force-dynamic';

export const POST = defineRoute({
  access: { permission: 'ingest' },
  body: z.unknown(),
  maxBodyBytes: 5_000_000,
  handler: ({ req, body }) =>
    ingestProbePush({ contentType: req.headers.get('content-type'), query: Object.fromEntries(req.nextUrl.searchParams), body }),
});
