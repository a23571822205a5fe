// IETF health check documents (draft-inadarei-api-health-check, `application/health+json`) as
// probe results: the document's own status, and one dependency-level result per check.
import type { HealthDocument, ProbeResult, ProbeSource } from '@/lib/schemas/probes';

export const HEALTH_JSON = 'application/health+json';

interface DocumentContext {
  service: string;
  /** Names the document's own result (e.g. the probe target's name or the URL path). */
  target: string;
  /** When the document was read; checks without their own `time` use it. */
  checkedAt: Date;
  latencyMs: number | null;
  source: ProbeSource;
  probeTargetId: string | null;
}

/** "postgres:connections" → "postgres": the component before the measurement name. */
function componentOf(checkKey: string): string {
  const colon = checkKey.indexOf(':');
  return (colon > 0 ? checkKey.slice(0, colon) : checkKey).trim() || checkKey;
}

function describeObserved(value: unknown, unit: string | undefined): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (unit ? `${text} ${unit}` : text).slice(0, 1000);
}

/**
 * The document's top-level status becomes a `readiness` result for the service; each entry of
 * each check becomes a `dependency` result named after the check's component (a `liveness` one
 * when its componentType is "system": the service itself). A check entry without a status
 * inherits the document's.
 */
export function healthDocumentToResults(doc: HealthDocument, ctx: DocumentContext): ProbeResult[] {
  const failing: string[] = [];
  const results: ProbeResult[] = [];
  for (const [key, entries] of Object.entries(doc.checks ?? {})) {
    for (const entry of entries) {
      const status = entry.status ?? doc.status;
      if (status !== 'pass') failing.push(`${key} ${status}${entry.output ? `: ${entry.output}` : ''}`);
      // componentType "system" is the service's own measurement (uptime, error rate, memory), not a dependency.
      const isSelf = entry.componentType === 'system';
      results.push({
        service: ctx.service,
        target: entry.componentId ? `${key}#${entry.componentId}` : key,
        kind: isSelf ? 'liveness' : 'dependency',
        status,
        latencyMs: entry.observedUnit === 'ms' && typeof entry.observedValue === 'number' ? entry.observedValue : null,
        checkedAt: entry.time ? new Date(entry.time) : ctx.checkedAt,
        message: entry.output ?? null,
        dependency: isSelf ? null : componentOf(key),
        observedValue: describeObserved(entry.observedValue, entry.observedUnit),
        source: ctx.source,
        probeTargetId: ctx.probeTargetId,
      });
    }
  }
  const summary = doc.output ?? (failing.length > 0 ? `failing checks: ${failing.slice(0, 5).join('; ')}` : null);
  results.unshift({
    service: ctx.service,
    target: ctx.target,
    kind: 'readiness',
    status: doc.status,
    latencyMs: ctx.latencyMs,
    checkedAt: ctx.checkedAt,
    message: doc.status === 'pass' ? (doc.output ?? null) : `health document says ${doc.status}${summary ? `: ${summary}` : ''}`,
    dependency: null,
    observedValue: null,
    source: ctx.source,
    probeTargetId: ctx.probeTargetId,
  });
  return results;
}
