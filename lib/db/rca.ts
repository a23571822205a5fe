// Raw material for root-cause analysis that the rollups do not hold: the failing spans of a
// sample of failed traces, each with whether its own calls failed and who answered them.
import { pool } from './client';

export interface FailingSpanRow {
  traceId: string;
  service: string;
  kind: number;
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  /** Service of the span's first child, null when nothing answered (a call that never arrived). */
  childService: string | null;
  /** Whether any child of the span failed too (then the failure started deeper). */
  childFailed: boolean;
}

/**
 * The failing spans of up to `maxTraces` failed traces that started in [from, to) and touch one of
 * `services`, newest traces first. Found through trace_summaries (indexed by time) and then the
 * spans' primary key, so the cost follows the sample, not the traffic.
 */
export async function failingSpansOfFailedTraces(from: Date, to: Date, services: readonly string[], maxTraces: number): Promise<{ failedTraces: number; spans: FailingSpanRow[] }> {
  const { rows } = await pool().query<FailingSpanRow & { failedTraces: number }>(
    `WITH failed AS (
       SELECT trace_id, start_time FROM telemetry.trace_summaries
        WHERE start_time >= $1 AND start_time < $2 AND error_count > 0 AND services && $3::text[]
        ORDER BY start_time DESC
        LIMIT $4
     )
     SELECT encode(s.trace_id, 'hex') AS "traceId", s.service_name AS service, s.kind::int AS kind, s.status_message AS "statusMessage",
            s.attributes AS attributes, child.service_name AS "childService", COALESCE(child.failed, false) AS "childFailed",
            (SELECT count(*)::int FROM failed) AS "failedTraces"
       FROM failed f
       JOIN telemetry.spans s ON s.trace_id = f.trace_id AND s.start_time >= f.start_time - interval '1 minute' AND s.start_time < $2::timestamptz + interval '5 minutes'
       LEFT JOIN LATERAL (
         SELECT (array_agg(c.service_name ORDER BY c.start_ns))[1] AS service_name, bool_or(c.status_code = 2) AS failed
           FROM telemetry.spans c
          WHERE c.trace_id = s.trace_id AND c.parent_span_id = s.span_id
            AND c.start_time >= f.start_time - interval '1 minute' AND c.start_time < $2::timestamptz + interval '5 minutes'
       ) child ON true
      WHERE s.status_code = 2`,
    [from, to, services, maxTraces],
  );
  return {
    failedTraces: rows[0]?.failedTraces ?? 0,
    spans: rows.map(({ failedTraces: _, ...span }) => span),
  };
}
