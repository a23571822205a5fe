// What detection reads, as plain rows over a range: 10 s rollups (with histograms) for the rules'
// recent windows, minute counts for the long ones (burn rate, traffic baseline), probe results.
// One read serves one live tick or a whole replay, so both evaluate the same numbers.
import { pool } from './client';

export interface FineServiceRow {
  bucket: number;
  service: string;
  requests: number;
  errors: number;
  hist: number[];
}

export interface FineEdgeRow {
  bucket: number;
  source: string;
  target: string;
  requests: number;
  errors: number;
  retries: number;
  lagHist: number[] | null;
}

export interface ServiceMinuteCounts {
  minute: number;
  service: string;
  requests: number;
  errors: number;
}

export interface ProbeRun {
  service: string;
  target: string;
  kind: 'liveness' | 'readiness' | 'dependency' | 'synthetic';
  /** What a dependency check checks (a database, a downstream API…). */
  dependency: string | null;
  status: 'pass' | 'warn' | 'fail';
  message: string | null;
  checkedAt: number;
}

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** 10 s service and edge rows whose bucket starts in [from, to), by entity then time. */
export async function readFineRollups(from: Date, to: Date): Promise<{ services: FineServiceRow[]; edges: FineEdgeRow[] }> {
  const [services, edges] = await Promise.all([
    pool().query<FineServiceRow>(
      `SELECT ${epochMs('bucket')} AS bucket, service, requests::float8 AS requests, errors::float8 AS errors, hist::float8[] AS hist
         FROM telemetry.service_fine WHERE bucket >= $1 AND bucket < $2 ORDER BY service, bucket`,
      [from, to],
    ),
    pool().query<FineEdgeRow>(
      `SELECT ${epochMs('bucket')} AS bucket, source, target, requests::float8 AS requests, errors::float8 AS errors,
              retries::float8 AS retries, lag_hist::float8[] AS "lagHist"
         FROM telemetry.edge_fine WHERE bucket >= $1 AND bucket < $2 ORDER BY source, target, bucket`,
      [from, to],
    ),
  ]);
  return { services: services.rows, edges: edges.rows };
}

/** Per-service minute counts (no histograms) in [from, to), by service then time. */
export async function readServiceMinuteCounts(from: Date, to: Date): Promise<ServiceMinuteCounts[]> {
  const { rows } = await pool().query<ServiceMinuteCounts>(
    `SELECT ${epochMs('minute')} AS minute, service, requests::float8 AS requests, errors::float8 AS errors
       FROM telemetry.service_minutes WHERE minute >= $1 AND minute < $2 ORDER BY service, minute`,
    [from, to],
  );
  return rows;
}

/** Probe results checked in (from, to], oldest first. */
export async function readProbeRuns(from: Date, to: Date): Promise<ProbeRun[]> {
  const { rows } = await pool().query<ProbeRun>(
    `SELECT service, target, kind, dependency, status, message, ${epochMs('checked_at')} AS "checkedAt"
       FROM telemetry.probe_results WHERE checked_at > $1 AND checked_at <= $2 ORDER BY checked_at, service, target`,
    [from, to],
  );
  return rows;
}
