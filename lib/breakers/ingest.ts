// POST /v1/breaker-events: state transitions in Faultline's shape or resilience4j's, validated,
// normalized and stored once each.
import { insertBreakerEvents } from '@/lib/db/breaker-events';
import { badRequest, describeZodError } from '@/lib/http/errors';
import { retainedWindow } from '@/lib/ingest/retained-window';
import {
  BreakerBatchInput,
  BreakerEventInput,
  Resilience4jEventInput,
  type BreakerEvent,
  type BreakerState,
} from '@/lib/schemas/breakers';

export interface BreakerIngestResult {
  accepted: number;
  /** Transitions already stored (a retried batch). */
  duplicates: number;
  /** resilience4j events that are not state transitions (SUCCESS, ERROR, NOT_PERMITTED, …). */
  ignored: number;
}

const RESILIENCE4J_STATES: Record<string, BreakerState> = {
  CLOSED: 'closed',
  OPEN: 'open',
  HALF_OPEN: 'half_open',
  FORCED_OPEN: 'forced_open',
  DISABLED: 'disabled',
  // METRICS_ONLY records calls but never blocks them: to callers it is a disabled breaker.
  METRICS_ONLY: 'disabled',
};

/** "CLOSED_TO_OPEN" → { from: closed, to: open }. */
export function parseStateTransition(transition: string): { from: BreakerState; to: BreakerState } | null {
  const [from, to, ...rest] = transition.trim().toUpperCase().split('_TO_');
  if (rest.length > 0 || !from || !to) return null;
  const fromState = RESILIENCE4J_STATES[from];
  const toState = RESILIENCE4J_STATES[to];
  return fromState && toState ? { from: fromState, to: toState } : null;
}

/**
 * A ZonedDateTime as resilience4j serializes it: ISO text with an optional `[Europe/Berlin]`
 * suffix, or Jackson's default decimal epoch seconds (epoch milliseconds are told apart by size).
 */
export function parseResilience4jTime(value: string | number): Date | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    return validDate(new Date(value < 1e11 ? value * 1000 : value));
  }
  const iso = value.trim().replace(/\[[^\]]*\]$/, '');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * Null for an Invalid Date (epoch ms past ±8.64e15): its NaN time would slip through every range
 * comparison and reach PostgreSQL as "NaN" text.
 */
function validDate(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}

interface Defaults {
  service?: string;
  instance?: string;
  dependency?: string;
}

function required(value: string | undefined, field: string, where: string): string {
  if (value === undefined) throw badRequest(`${where}.${field}: is required (in the event, the batch${field === 'dependency' ? '' : ` or ?${field}=`})`);
  return value;
}

/** One event of the batch, whichever shape it has; null when it is not a state transition. */
function normalizeEvent(raw: Record<string, unknown>, where: string, defaults: Defaults): BreakerEvent | null {
  if ('circuitBreakerName' in raw) {
    const parsed = Resilience4jEventInput.safeParse(raw);
    if (!parsed.success) throw badRequest(describeZodError(parsed.error, where));
    const e = parsed.data;
    if (e.type.toUpperCase() !== 'STATE_TRANSITION') return null;
    if (!e.stateTransition) throw badRequest(`${where}.stateTransition: is required for a STATE_TRANSITION event`);
    const transition = parseStateTransition(e.stateTransition);
    if (!transition) throw badRequest(`${where}.stateTransition: "${e.stateTransition}" is not a resilience4j transition such as CLOSED_TO_OPEN`);
    const at = parseResilience4jTime(e.creationTime);
    if (!at) throw badRequest(`${where}.creationTime: is not a time (ISO-8601, optionally with a [zone] suffix, or epoch seconds)`);
    const extra = raw as { service?: unknown; instance?: unknown; dependency?: unknown };
    return {
      service: required(typeof extra.service === 'string' ? extra.service : defaults.service, 'service', where),
      instance: (typeof extra.instance === 'string' ? extra.instance : defaults.instance) ?? '',
      breaker: e.circuitBreakerName,
      dependency: (typeof extra.dependency === 'string' ? extra.dependency : defaults.dependency) ?? e.circuitBreakerName,
      from: transition.from,
      to: transition.to,
      at,
      failureRate: null,
      slowCallRate: null,
      reason: e.errorMessage ?? null,
      source: 'resilience4j',
    };
  }
  const parsed = BreakerEventInput.safeParse(raw);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error, where));
  const e = parsed.data;
  const at = validDate(new Date(e.at));
  if (!at) throw badRequest(`${where}.at: ${e.at} is not a valid time (epoch milliseconds go up to 8.64e15)`);
  return {
    service: required(e.service ?? defaults.service, 'service', where),
    instance: e.instance ?? defaults.instance ?? '',
    breaker: e.breaker,
    dependency: required(e.dependency ?? defaults.dependency, 'dependency', where),
    from: e.from ?? null,
    to: e.to,
    at,
    failureRate: e.failureRate ?? null,
    slowCallRate: e.slowCallRate ?? null,
    reason: e.reason ?? null,
    source: 'api',
  };
}

/** Validates the whole batch first (400 naming the first bad field), then stores it. */
export async function ingestBreakerEvents(input: { query: Defaults; body: unknown }): Promise<BreakerIngestResult> {
  const batch = BreakerBatchInput.safeParse(input.body);
  if (!batch.success) throw badRequest(describeZodError(batch.error, 'body'));
  const { events, circuitBreakerEvents } = batch.data;
  if (!events && !circuitBreakerEvents) throw badRequest('body.events: is required (an array of state transitions)');
  const defaults: Defaults = {
    service: batch.data.service ?? input.query.service,
    instance: batch.data.instance ?? input.query.instance,
    dependency: batch.data.dependency,
  };
  const window = retainedWindow();
  const normalized: BreakerEvent[] = [];
  let ignored = 0;
  const entries = [
    ...(events ?? []).map((raw, i) => ({ raw, where: `body.events.${i}` })),
    ...(circuitBreakerEvents ?? []).map((raw, i) => ({ raw, where: `body.circuitBreakerEvents.${i}` })),
  ];
  for (const { raw, where } of entries) {
    const event = normalizeEvent(raw, where, defaults);
    if (!event) {
      ignored++;
      continue;
    }
    const t = event.at.getTime();
    // Written so that a NaN time fails it too.
    if (!(t >= window.oldestMs && t <= window.newestMs)) throw badRequest(`${where}: time ${event.at.toISOString()} is outside the accepted window (${window.describe})`);
    normalized.push(event);
  }
  const { inserted, duplicates } = await insertBreakerEvents(normalized);
  return { accepted: inserted, duplicates, ignored };
}
