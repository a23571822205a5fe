// POST /v1/breaker-events — circuit-breaker state transitions (Faultline's or resilience4j's shape), ingest API key
import { z } from 'zod';
import { ingestBreakerEvents } from '@/lib/breakers/ingest';
import { defineRoute } from '@/lib/http/define-route';
import { BreakerEventsQuery } from '@/lib/schemas/breakers';

export const dynamic = 'force-dynamic';

export const POST = defineRoute({
  access: { permission: 'ingest' },
  query: BreakerEventsQuery,
  body: z.unknown(),
  maxBodyBytes: 5_000_000,
  handler: ({ query, body }) => ingestBreakerEvents({ query, body }),
});
