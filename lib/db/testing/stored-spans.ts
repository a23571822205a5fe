// What the database holds of a load run: every acknowledged span must be there exactly once.
import pg from 'pg';

export interface StoredCounts {
  acknowledged: number;
  /** Rows of the run's service (a span stored twice counts twice). */
  storedRows: number;
  /** Distinct spans of the run's service. */
  storedSpans: number;
  /** Acknowledged spans not found. */
  missing: number;
  /** Rows beyond one per span. */
  duplicates: number;
}

export async function checkStoredExactlyOnce(databaseUrl: string, service: string, acknowledgedIds: readonly string[]): Promise<StoredCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rows: string; spans: string }>(
      'SELECT count(*) AS rows, count(DISTINCT (trace_id, span_id)) AS spans FROM telemetry.spans WHERE service_name = $1',
      [service],
    );
    let missing = 0;
    for (let i = 0; i < acknowledgedIds.length; i += 20_000) {
      const chunk = acknowledgedIds.slice(i, i + 20_000);
      const traceIds = chunk.map((id) => Buffer.from(id.slice(0, 32), 'hex'));
      const spanIds = chunk.map((id) => Buffer.from(id.slice(33), 'hex'));
      const result = await client.query<{ missing: string }>(
        `SELECT count(*) AS missing FROM unnest($1::bytea[], $2::bytea[]) AS a(trace_id, span_id)
          WHERE NOT EXISTS (SELECT 1 FROM telemetry.spans s WHERE s.trace_id = a.trace_id AND s.span_id = a.span_id)`,
        [traceIds, spanIds],
      );
      missing += Number(result.rows[0]!.missing);
    }
    const storedRows = Number(rows[0]!.rows);
    const storedSpans = Number(rows[0]!.spans);
    return { acknowledged: acknowledgedIds.length, storedRows, storedSpans, missing, duplicates: storedRows - storedSpans };
  } finally {
    await client.end();
  }
}
