// Range aggregates of the rollups for the dependency map: one row per service and per edge,
// histograms merged in the database (they add element-wise).
import { HISTOGRAM_BUCKETS } from '@/lib/rollup/histogram';
import type { EdgeTotals } from '@/lib/rollup/span-facts';
import { pool } from './client';

const HOUR_MS = 3_600_000;

/**
 * Element-wise sum of a histogram column over a group, as one sum() per bucket: about ten times
 * faster than folding arrays with telemetry.hist_sum (measured on 18,000 rows: 24 ms vs 234 ms).
 */
function histSum(column: string, nullable = false): string {
  const sums = Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) => `COALESCE(sum(${column}[${i + 1}]), 0)`).join(', ');
  return nullable ? `CASE WHEN count(${column}) = 0 THEN NULL ELSE ARRAY[${sums}]::float8[] END` : `ARRAY[${sums}]::float8[]`;
}

/**
 * [from, to) as whole hours (read from the hourly rollups) and the minutes before and after
 * them; with no whole hour inside, all minutes.
 */
function rangeParts(from: Date, to: Date): Date[] {
  const f = from.getTime();
  const t = to.getTime();
  const h1 = Math.ceil(f / HOUR_MS) * HOUR_MS;
  const h2 = Math.floor(t / HOUR_MS) * HOUR_MS;
  if (h1 >= h2) return [new Date(0), new Date(0), from, to, to, to];
  return [new Date(h1), new Date(h2), from, new Date(h1), new Date(h2), to];
}

export interface ServiceAggregate {
  service: string;
  requests: number;
  errors: number;
  hist: number[];
  instances: number;
}

export type EdgeAggregate = EdgeTotals;

export async function aggregateServices(from: Date, to: Date): Promise<ServiceAggregate[]> {
  const { rows } = await pool().query<ServiceAggregate>(
    `WITH m AS (
       SELECT service, requests, errors, hist, instances FROM telemetry.service_hours WHERE hour >= $1 AND hour < $2
       UNION ALL
       SELECT service, requests, errors, hist, instances FROM telemetry.service_minutes
        WHERE (minute >= $3 AND minute < $4) OR (minute >= $5 AND minute < $6)
     )
     SELECT service, sum(requests)::float8 AS requests, sum(errors)::float8 AS errors, ${histSum('hist')} AS hist,
            (SELECT count(DISTINCT i)::int FROM m AS same, unnest(same.instances) AS i WHERE same.service = m.service) AS instances
       FROM m GROUP BY service`,
    rangeParts(from, to),
  );
  return rows;
}

/** Edges over the range; with `service`, only those into or out of it. */
export async function aggregateEdges(from: Date, to: Date, service?: string): Promise<EdgeAggregate[]> {
  const { rows } = await pool().query<EdgeAggregate>(
    `SELECT source, target,
            CASE WHEN bool_or(target_kind = 'service') THEN 'service' ELSE max(target_kind) END AS "targetKind",
            sum(requests)::float8 AS requests, sum(errors)::float8 AS errors, sum(timeouts)::float8 AS timeouts, sum(retries)::float8 AS retries,
            ${histSum('hist')} AS hist, ${histSum('lag_hist', true)} AS "lagHist"
       FROM (SELECT source, target, target_kind, requests, errors, timeouts, retries, hist, lag_hist
               FROM telemetry.edge_hours WHERE hour >= $1 AND hour < $2
             UNION ALL
             SELECT source, target, target_kind, requests, errors, timeouts, retries, hist, lag_hist
               FROM telemetry.edge_minutes WHERE (minute >= $3 AND minute < $4) OR (minute >= $5 AND minute < $6)) e
      WHERE ($7::text IS NULL OR source = $7 OR target = $7)
      GROUP BY source, target`,
    [...rangeParts(from, to), service ?? null],
  );
  return rows;
}

export interface ServiceMinuteRow {
  minute: Date;
  requests: number;
  errors: number;
  hist: number[];
}

/** One row per minute with requests in [from, to), oldest first. */
export async function serviceSeries(service: string, from: Date, to: Date): Promise<ServiceMinuteRow[]> {
  const { rows } = await pool().query<ServiceMinuteRow>(
    `SELECT minute, requests::float8 AS requests, errors::float8 AS errors, hist::float8[] AS hist
       FROM telemetry.service_minutes WHERE service = $1 AND minute >= $2 AND minute < $3 ORDER BY minute`,
    [service, from, to],
  );
  return rows;
}
