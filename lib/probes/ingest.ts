// POST /v1/probes: pushed probe results, as Faultline's JSON batch or as an IETF health document.
import { insertProbeResults } from '@/lib/db/probe-results';
import { badRequest, describeZodError, unsupportedMediaType } from '@/lib/http/errors';
import { retainedWindow } from '@/lib/ingest/retained-window';
import { HealthDocument, HealthDocumentQuery, ProbeBatchInput, type ProbeResult } from '@/lib/schemas/probes';
import { HEALTH_JSON, healthDocumentToResults } from './health-document';

export interface ProbeIngestResult {
  accepted: number;
  /** Results already stored (a retried batch): counted, not stored twice. */
  duplicates: number;
}

function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function checkTimes(results: readonly ProbeResult[], fieldOf: (index: number) => string): void {
  const window = retainedWindow();
  results.forEach((r, i) => {
    const t = r.checkedAt.getTime();
    if (Number.isNaN(t)) throw badRequest(`${fieldOf(i)}: is not a valid time`);
    if (t < window.oldestMs || t > window.newestMs) throw badRequest(`${fieldOf(i)}: ${r.checkedAt.toISOString()} is outside the accepted window (${window.describe})`);
  });
}

/**
 * Validates and stores one push. The whole request is refused (400, naming the first bad
 * field) or stored as a whole; nothing is half-accepted.
 */
export async function ingestProbePush(input: { contentType: string | null; query: Record<string, string>; body: unknown }): Promise<ProbeIngestResult> {
  const mediaType = mediaTypeOf(input.contentType);
  let results: ProbeResult[];
  if (mediaType === HEALTH_JSON) {
    const query = HealthDocumentQuery.safeParse(input.query);
    if (!query.success) throw badRequest(`${describeZodError(query.error, 'query')} (a health+json document needs ?service= naming whose it is)`);
    const doc = HealthDocument.safeParse(input.body);
    if (!doc.success) throw badRequest(describeZodError(doc.error, 'body'));
    results = healthDocumentToResults(doc.data, {
      service: query.data.service,
      target: query.data.target ?? 'health',
      checkedAt: new Date(),
      latencyMs: null,
      source: 'push',
      probeTargetId: null,
    });
    checkTimes(results, (i) => (i === 0 ? 'body' : `body.checks[${results[i]!.target}].time`));
  } else if (mediaType === 'application/json') {
    const batch = ProbeBatchInput.safeParse(input.body);
    if (!batch.success) throw badRequest(describeZodError(batch.error, 'body'));
    results = batch.data.results.map((r) => ({
      service: r.service,
      target: r.target,
      kind: r.kind,
      status: r.status,
      latencyMs: r.latencyMs,
      checkedAt: new Date(r.checkedAt),
      message: r.message ?? null,
      dependency: r.dependency ?? null,
      observedValue: null,
      source: 'push',
      probeTargetId: null,
    }));
    checkTimes(results, (i) => `body.results.${i}.checkedAt`);
  } else {
    throw unsupportedMediaType(`Content-Type must be application/json (a {"results": [...]} batch) or ${HEALTH_JSON} (a health document with ?service=)`);
  }
  const { inserted, duplicates } = await insertProbeResults(results);
  return { accepted: inserted, duplicates };
}
