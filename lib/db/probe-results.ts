// Probe results (telemetry.probe_results): written in batches, read as summaries and histories.
import type pg from 'pg';
import type { ProbeKind, ProbeResult, ProbeStatus } from '@/lib/schemas/probes';
import { pool } from './client';
import { cleanText } from './copy-text';

const nullableText = (v: string | null) => (v === null ? null : cleanText(v));

/** Stores results; one already stored (same service, target, kind, dependency and time) is skipped. */
export async function insertProbeResults(results: readonly ProbeResult[], client: pg.ClientBase | pg.Pool = pool()): Promise<{ inserted: number; duplicates: number }> {
  if (results.length === 0) return { inserted: 0, duplicates: 0 };
  const { rowCount } = await client.query(
    `INSERT INTO telemetry.probe_results (service, target, kind, status, latency_ms, checked_at, message, dependency, observed_value, source, probe_target_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[])
     ON CONFLICT DO NOTHING`,
    [
      results.map((r) => cleanText(r.service)),
      results.map((r) => cleanText(r.target)),
      results.map((r) => r.kind),
      results.map((r) => r.status),
      results.map((r) => r.latencyMs),
      results.map((r) => r.checkedAt),
      results.map((r) => nullableText(r.message)),
      results.map((r) => nullableText(r.dependency)),
      results.map((r) => nullableText(r.observedValue)),
      results.map((r) => r.source),
      results.map((r) => r.probeTargetId),
    ],
  );
  const inserted = rowCount ?? 0;
  return { inserted, duplicates: results.length - inserted };
}

export type ProbeResultRow = Omit<ProbeResult, 'probeTargetId'>;

const RESULT_COLUMNS = `service, target, kind, status, latency_ms AS "latencyMs", checked_at AS "checkedAt", message, dependency,
  observed_value AS "observedValue", source`;

/** A service's results in a time range, newest first. */
export async function listProbeResults(q: { service: string; target?: string; from: Date; to: Date; limit: number }): Promise<ProbeResultRow[]> {
  const { rows } = await pool().query<ProbeResultRow>(
    `SELECT ${RESULT_COLUMNS} FROM telemetry.probe_results
      WHERE service = $1 AND ($2::text IS NULL OR target = $2) AND checked_at >= $3 AND checked_at <= $4
      ORDER BY checked_at DESC, id DESC LIMIT $5`,
    [q.service, q.target ?? null, q.from, q.to, q.limit],
  );
  return rows;
}

export interface ProbeCheckRow {
  service: string;
  target: string;
  kind: ProbeKind;
  dependency: string | null;
  status: ProbeStatus;
  checkedAt: Date;
  latencyMs: number | null;
  message: string | null;
  lastChangeAt: Date | null;
  passes: number;
  results: number;
}

/**
 * One row per check (service, target, kind, dependency) with results in the range: the newest
 * result, when its status last changed within the range, and how many results passed.
 */
export async function summarizeProbeChecks(q: { service?: string; from: Date; to: Date }): Promise<ProbeCheckRow[]> {
  const { rows } = await pool().query<ProbeCheckRow>(
    `WITH ranged AS (
       SELECT service, target, kind, dependency, status, checked_at, latency_ms, message, id,
              lag(status) OVER w AS previous,
              row_number() OVER (PARTITION BY service, target, kind, dependency ORDER BY checked_at DESC, id DESC) AS recency
         FROM telemetry.probe_results
        WHERE checked_at >= $1 AND checked_at <= $2 AND ($3::text IS NULL OR service = $3)
       WINDOW w AS (PARTITION BY service, target, kind, dependency ORDER BY checked_at, id)
     )
     SELECT service, target, kind, dependency,
            (array_agg(status) FILTER (WHERE recency = 1))[1] AS status,
            max(checked_at) AS "checkedAt",
            (array_agg(latency_ms) FILTER (WHERE recency = 1))[1] AS "latencyMs",
            (array_agg(message) FILTER (WHERE recency = 1))[1] AS message,
            max(checked_at) FILTER (WHERE previous IS NOT NULL AND previous <> status) AS "lastChangeAt",
            count(*) FILTER (WHERE status = 'pass')::int AS passes,
            count(*)::int AS results
       FROM ranged
      GROUP BY service, target, kind, dependency
      ORDER BY service, target, kind, dependency NULLS FIRST`,
    [q.from, q.to, q.service ?? null],
  );
  return rows;
}

/** The newest result of each of these probe targets. */
export async function latestResultsOfTargets(ids: readonly string[]): Promise<Map<string, ProbeResultRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool().query<ProbeResultRow & { probeTargetId: string }>(
    `SELECT DISTINCT ON (probe_target_id) probe_target_id AS "probeTargetId", ${RESULT_COLUMNS}
       FROM telemetry.probe_results
      WHERE probe_target_id = ANY($1::uuid[]) AND dependency IS NULL
      ORDER BY probe_target_id, checked_at DESC, id DESC`,
    [ids],
  );
  return new Map(rows.map((r) => [r.probeTargetId, r]));
}

export async function deleteProbeResultsBefore(cutoff: Date): Promise<number> {
  const { rowCount } = await pool().query('DELETE FROM telemetry.probe_results WHERE checked_at < $1', [cutoff]);
  return rowCount ?? 0;
}

/**
 * Each service's own health as its probes last saw it in the range (not its dependency checks):
 * the worst of each target's newest result, so one failing replica shows.
 */
export async function latestServiceProbes(from: Date, to: Date): Promise<Array<{ service: string; status: 'pass' | 'warn' | 'fail'; at: Date }>> {
  const { rows } = await pool().query(
    `SELECT service, (array_agg(status ORDER BY CASE status WHEN 'fail' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END))[1] AS status, max(checked_at) AS at
       FROM (SELECT DISTINCT ON (service, target, kind) service, status, checked_at
               FROM telemetry.probe_results
              WHERE checked_at >= $1 AND checked_at <= $2 AND kind <> 'dependency'
              ORDER BY service, target, kind, checked_at DESC) newest
      GROUP BY service`,
    [from, to],
  );
  return rows;
}

/** Probe targets' newest results (newest first, at most `depth`) up to `at`, for "failing N times in a row". */
export async function recentProbeRuns(at: Date, lookbackMs: number, depth: number): Promise<Array<{ service: string; target: string; statuses: string[]; message: string | null }>> {
  const { rows } = await pool().query(
    `SELECT service, target, array_agg(status ORDER BY checked_at DESC) AS statuses, (array_agg(message ORDER BY checked_at DESC))[1] AS message
       FROM (SELECT service, target, status, message, checked_at,
                    row_number() OVER (PARTITION BY service, target ORDER BY checked_at DESC) AS recency
               FROM telemetry.probe_results
              WHERE checked_at <= $1 AND checked_at > $1 - make_interval(secs => $2 / 1000.0)) r
      WHERE recency <= $3
      GROUP BY service, target
      ORDER BY service, target`,
    [at, lookbackMs, depth],
  );
  return rows;
}
