// Where each failed trace's failure starts: the failing spans whose own calls did not fail. A
// failing SERVER (or internal) span with healthy calls is its service's own fault; a failing call
// that something answered without failing is the callee being slow or refusing; a failing call
// that nothing answered points at the callee's side of the network, or at a leaf (database,
// external API) nobody instruments.
import type { FailingSpanRow } from '@/lib/db/rca';
import type { AttributeValue } from '@/lib/otlp/span-row';
import { peerOf } from '@/lib/rollup/span-facts';
import type { CandidateRef } from '@/lib/schemas/incidents';
import { CIRCUIT_OPEN_DETAIL, refKey, type TraceOrigin } from './rank';

const KIND_CLIENT = 3;
const CIRCUIT_OPEN = /breaker is open|circuit (breaker )?is open|EOPENBREAKER|BrokenCircuit|CallNotPermitted|short-?circuited/i;
const KIND_PRODUCER = 4;

/** A short, stable description of why a span failed (for evidence text). */
export function failureDetail(span: Pick<FailingSpanRow, 'statusMessage' | 'attributes'>): string | null {
  const message = span.statusMessage ?? (typeof span.attributes['error.type'] === 'string' ? (span.attributes['error.type'] as string) : null);
  // A breaker failing fast (opossum's "Breaker is open", cockatiel's BrokenCircuitError, Polly's
  // BrokenCircuitException, resilience4j's CallNotPermittedException): the trouble is behind it.
  if (message && CIRCUIT_OPEN.test(message)) return CIRCUIT_OPEN_DETAIL;
  const status = span.attributes['http.response.status_code'];
  if (typeof status === 'number' && status >= 400) return `HTTP ${status}`;
  if (!message) return null;
  if (/ETIMEDOUT|timed? ?out|timeout|deadline/i.test(message)) return 'timeout';
  if (/ECONNREFUSED|refused/i.test(message)) return 'connection refused';
  if (/ECONNRESET|reset/i.test(message)) return 'connection reset';
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(message)) return 'DNS failure';
  return message.length > 60 ? `${message.slice(0, 57)}…` : message;
}

export function originOf(span: FailingSpanRow): CandidateRef | null {
  if (span.childFailed) return null;
  if (span.kind !== KIND_CLIENT && span.kind !== KIND_PRODUCER) return { kind: 'service', service: span.service };
  if (span.childService) return { kind: 'service', service: span.childService };
  const peer = peerOf({ attributes: span.attributes as Record<string, AttributeValue> });
  if (peer.kind === 'service') return { kind: 'edge', source: span.service, target: peer.peer };
  return { kind: 'dependency', service: span.service, target: peer.peer };
}

/** Per origin, how many failed traces start there (a trace counts once per origin) and the commonest detail. */
export function traceOrigins(spans: readonly FailingSpanRow[]): TraceOrigin[] {
  const byKey = new Map<string, { ref: CandidateRef; traces: Set<string>; details: Map<string, number> }>();
  for (const span of spans) {
    const ref = originOf(span);
    if (!ref) continue;
    const key = refKey(ref);
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { ref, traces: new Set(), details: new Map() }));
    entry.traces.add(span.traceId);
    const detail = failureDetail(span);
    if (detail) entry.details.set(detail, (entry.details.get(detail) ?? 0) + 1);
  }
  return [...byKey.values()]
    .map((e) => ({ ref: e.ref, traces: e.traces.size, detail: [...e.details].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null }))
    .sort((a, b) => b.traces - a.traces || refKey(a.ref).localeCompare(refKey(b.ref)));
}
