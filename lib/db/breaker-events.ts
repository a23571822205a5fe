// Circuit-breaker state transitions (telemetry.breaker_events).
import type { BreakerEvent, BreakerState } from '@/lib/schemas/breakers';
import { pool } from './client';
import { cleanText } from './copy-text';

/** Stores transitions; one already stored (same breaker, state and time) is skipped. */
export async function insertBreakerEvents(events: readonly BreakerEvent[]): Promise<{ inserted: number; duplicates: number }> {
  if (events.length === 0) return { inserted: 0, duplicates: 0 };
  const { rowCount } = await pool().query(
    `INSERT INTO telemetry.breaker_events (service, instance, breaker, dependency, from_state, to_state, at, failure_rate, slow_call_rate, reason, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::float8[], $9::float8[], $10::text[], $11::text[])
     ON CONFLICT DO NOTHING`,
    [
      events.map((e) => cleanText(e.service)),
      events.map((e) => cleanText(e.instance)),
      events.map((e) => cleanText(e.breaker)),
      events.map((e) => cleanText(e.dependency)),
      events.map((e) => e.from),
      events.map((e) => e.to),
      events.map((e) => e.at),
      events.map((e) => e.failureRate),
      events.map((e) => e.slowCallRate),
      events.map((e) => (e.reason === null ? null : cleanText(e.reason))),
      events.map((e) => e.source),
    ],
  );
  const inserted = rowCount ?? 0;
  return { inserted, duplicates: events.length - inserted };
}

export interface BreakerEventRow {
  service: string;
  instance: string;
  breaker: string;
  dependency: string;
  to: BreakerState;
  at: Date;
  failureRate: number | null;
  reason: string | null;
}

/**
 * The transitions a state timeline over [from, to] needs: every one inside the range, plus the
 * last one before it for each breaker (its state when the range opens).
 */
export async function breakerEventsForRange(q: { service?: string; from: Date; to: Date }): Promise<BreakerEventRow[]> {
  const { rows } = await pool().query<BreakerEventRow>(
    `WITH before AS (
       SELECT DISTINCT ON (service, instance, breaker, dependency) *
         FROM telemetry.breaker_events
        WHERE at < $1 AND ($3::text IS NULL OR service = $3)
        ORDER BY service, instance, breaker, dependency, at DESC, id DESC
     ), inside AS (
       SELECT * FROM telemetry.breaker_events WHERE at >= $1 AND at <= $2 AND ($3::text IS NULL OR service = $3)
     )
     SELECT service, instance, breaker, dependency, to_state AS "to", at, failure_rate AS "failureRate", reason
       FROM (SELECT * FROM before UNION ALL SELECT * FROM inside) e
      ORDER BY service, dependency, breaker, instance, at, id`,
    [q.from, q.to, q.service ?? null],
  );
  return rows;
}

/**
 * Drops transitions older than the cutoff, except each breaker's newest one: a breaker that has
 * been open for longer than the retention period must still show as open.
 */
export async function deleteBreakerEventsBefore(cutoff: Date): Promise<number> {
  const { rowCount } = await pool().query(
    `DELETE FROM telemetry.breaker_events e
      WHERE e.at < $1
        AND EXISTS (SELECT 1 FROM telemetry.breaker_events newer
                     WHERE newer.service = e.service AND newer.instance = e.instance AND newer.breaker = e.breaker
                       AND newer.dependency = e.dependency AND (newer.at, newer.id) > (e.at, e.id))`,
    [cutoff],
  );
  return rowCount ?? 0;
}
