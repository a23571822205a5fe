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

const MAX_OBSERVED_LENGTH = 1000;
/** Containers nested deeper are written as […] / {…}: no reader needs more of them. */
const MAX_OBSERVED_DEPTH = 8;

/**
 * observedValue as stored text: JSON, but a document may nest it thousands deep (JSON.stringify
 * would overflow the stack) or make it megabytes long, so only what fits the column is written.
 */
export function describeObserved(value: unknown, unit: string | undefined): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : boundedJson(value, MAX_OBSERVED_DEPTH, MAX_OBSERVED_LENGTH);
  return (unit ? `${text} ${unit}` : text).slice(0, MAX_OBSERVED_LENGTH);
}

/** JSON text of a parsed JSON value, containers past `maxDepth` elided, stopping once `limit` characters are written. */
function boundedJson(value: unknown, maxDepth: number, limit: number): string {
  let out = '';
  const write = (v: unknown, depth: number): void => {
    if (out.length >= limit) return;
    if (Array.isArray(v)) {
      if (depth >= maxDepth) {
        out += '[…]';
        return;
      }
      out += '[';
      for (let i = 0; i < v.length && out.length < limit; i++) {
        if (i > 0) out += ',';
        write(v[i], depth + 1);
      }
      out += ']';
    } else if (v !== null && typeof v === 'object') {
      if (depth >= maxDepth) {
        out += '{…}';
        return;
      }
      out += '{';
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (out.length >= limit) break;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(key.slice(0, limit))}:`;
        write(item, depth + 1);
      }
      out += '}';
    } else {
      out += typeof v === 'string' ? JSON.stringify(v.slice(0, limit)) : (JSON.stringify(v) ?? 'null');
    }
  };
  write(value, 0);
  return out.slice(0, limit);
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
