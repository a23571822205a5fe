import { z } from 'zod';
import { IsoTime, NUL_MESSAGE, withoutNul } from './common';

// Contracts of the trace API: GET /api/traces (search) and GET /api/traces/:traceId.

export const TraceId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{32}$/, 'must be 32 hexadecimal characters');

/** "250ms", "1.5s", "2m" or a plain number of milliseconds. */
export const DurationMs = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?(us|µs|ms|s|m)?$/, 'must be a duration such as 250ms, 1.5s or 2m')
  .transform((v) => {
    const match = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m)?$/.exec(v)!;
    const n = Number(match[1]);
    const unit = match[2] ?? 'ms';
    return unit === 'us' || unit === 'µs' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
  });

export const TraceSearchQuery = z
  .object({
    service: z.string().trim().min(1).max(256).refine(withoutNul, NUL_MESSAGE).optional(),
    operation: z.string().trim().min(1).max(512).refine(withoutNul, NUL_MESSAGE).optional(),
    status: z.enum(['error', 'ok', 'unset']).optional(),
    minDuration: DurationMs.optional(),
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(20),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] });
export type TraceSearchQuery = z.infer<typeof TraceSearchQuery>;

export const TraceSummaryDto = z.object({
  traceId: z.string(),
  /** Service and operation of the root span; null until the root span has arrived. */
  rootService: z.string().nullable(),
  rootOperation: z.string().nullable(),
  startTime: z.string(),
  durationMs: z.number(),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  services: z.array(z.string()),
});
export type TraceSummaryDto = z.infer<typeof TraceSummaryDto>;

export const TraceSearchResult = z.object({ traces: z.array(TraceSummaryDto), from: z.string(), to: z.string() });
export type TraceSearchResult = z.infer<typeof TraceSearchResult>;

const Attributes = z.record(z.string(), z.unknown());

export const SpanDto = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']),
  service: z.string(),
  startTime: z.string(),
  /** Exact start as a decimal string of unix nanoseconds. */
  startTimeUnixNano: z.string(),
  durationMs: z.number(),
  statusCode: z.enum(['unset', 'ok', 'error']),
  statusMessage: z.string().nullable(),
  attributes: Attributes,
  resource: Attributes,
  events: z.array(z.object({ name: z.string(), time: z.string(), timeUnixNano: z.string(), attributes: Attributes })),
  links: z.array(z.object({ traceId: z.string(), spanId: z.string(), attributes: Attributes })),
  scope: z.object({ name: z.string().nullable(), version: z.string().nullable() }),
});
export type SpanDto = z.infer<typeof SpanDto>;

export const TraceDto = z.object({ traceId: z.string(), spans: z.array(SpanDto) });
export type TraceDto = z.infer<typeof TraceDto>;
