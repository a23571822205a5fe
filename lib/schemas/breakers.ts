import { z } from 'zod';
import { EntityName, IsoTime, TimeRangeQuery } from './common';

// Contracts of circuit-breaker state transitions: POST /v1/breaker-events (Faultline's own shape
// and resilience4j's) and the read API GET /api/breakers.

export const BREAKER_STATES = ['closed', 'open', 'half_open', 'forced_open', 'disabled'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

const State = z.enum(BREAKER_STATES, { message: `must be one of ${BREAKER_STATES.join(', ')}` });
const Percent = z.number({ message: 'must be a percentage (0–100)' }).min(0, 'must be a percentage (0–100)').max(100, 'must be a percentage (0–100)');
const EventTime = z.union([IsoTime, z.number().int().min(0)], {
  message: 'must be an ISO-8601 time such as 2026-11-23T10:00:00Z or epoch milliseconds',
});

/** Faultline's event shape. `service`, `instance` and `dependency` may come from the batch instead. */
export const BreakerEventInput = z.strictObject({
  service: EntityName.optional(),
  instance: z.string().trim().max(256, 'must be at most 256 characters').optional(),
  breaker: EntityName,
  dependency: EntityName.optional(),
  from: State.optional(),
  to: State,
  at: EventTime,
  failureRate: Percent.optional(),
  slowCallRate: Percent.optional(),
  reason: z.string().max(4000, 'must be at most 4000 characters').optional(),
});
export type BreakerEventInput = z.infer<typeof BreakerEventInput>;

/**
 * resilience4j's CircuitBreakerEvent as its actuator (`/actuator/circuitbreakerevents`) and event
 * consumers serialize it. Only STATE_TRANSITION events change state; the other types are counted
 * and skipped. `creationTime` is a ZonedDateTime: ISO text, possibly with a `[Region/City]` suffix,
 * or (Jackson's default) decimal epoch seconds.
 */
export const Resilience4jEventInput = z.looseObject({
  circuitBreakerName: EntityName,
  type: z.string().trim().min(1, 'must name the event type'),
  creationTime: z.union([z.string(), z.number()], { message: 'must be a time' }),
  stateTransition: z.string().optional(),
  errorMessage: z.string().nullable().optional(),
  durationInMs: z.number().nullable().optional(),
});
export type Resilience4jEventInput = z.infer<typeof Resilience4jEventInput>;

export const MAX_BREAKER_BATCH = 1000;

export const BreakerBatchInput = z.strictObject({
  service: EntityName.optional(),
  instance: z.string().trim().max(256).optional(),
  dependency: EntityName.optional(),
  events: z.array(z.record(z.string(), z.unknown(), { message: 'must be an object' })).max(MAX_BREAKER_BATCH, `must hold at most ${MAX_BREAKER_BATCH} events`).optional(),
  /** The body of resilience4j's `/actuator/circuitbreakerevents`, forwarded as is. */
  circuitBreakerEvents: z.array(z.record(z.string(), z.unknown(), { message: 'must be an object' })).max(MAX_BREAKER_BATCH).optional(),
});

export const BreakerEventsQuery = z.object({
  service: EntityName.optional(),
  instance: z.string().trim().max(256).optional(),
});

/** A transition ready for storage. */
export interface BreakerEvent {
  service: string;
  instance: string;
  breaker: string;
  dependency: string;
  from: BreakerState | null;
  to: BreakerState;
  at: Date;
  failureRate: number | null;
  slowCallRate: number | null;
  reason: string | null;
  source: 'api' | 'resilience4j';
}

// ——— Read API ———

export const BreakerQuery = TimeRangeQuery.and(z.object({ service: EntityName.optional() }));

export const BreakerSegment = z.object({
  state: State,
  from: z.string(),
  /** null while the breaker is still in this state. */
  to: z.string().nullable(),
});
export type BreakerSegment = z.infer<typeof BreakerSegment>;

export const BreakerInstanceState = z.object({
  breaker: z.string(),
  instance: z.string(),
  state: State,
  since: z.string(),
  failureRate: z.number().nullable(),
  reason: z.string().nullable(),
  /** State bands across the requested range (the state at `from` included). */
  segments: z.array(BreakerSegment),
});
export type BreakerInstanceState = z.infer<typeof BreakerInstanceState>;

/** The caller→dependency edge as the dependency map draws it. */
export const BreakerEdge = z.object({
  service: z.string(),
  dependency: z.string(),
  /** Worst state among the edge's breakers: open beats half_open beats closed. */
  state: State,
  since: z.string(),
  /** How long the edge has been open, as of the end of the range; null unless open. */
  openForMs: z.number().nullable(),
  openInstances: z.number(),
  instances: z.number(),
  breakers: z.array(BreakerInstanceState),
});
export type BreakerEdge = z.infer<typeof BreakerEdge>;

export const BreakerResult = z.object({ from: z.string(), to: z.string(), edges: z.array(BreakerEdge) });
export type BreakerResult = z.infer<typeof BreakerResult>;
