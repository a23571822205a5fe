// Simulated spans as an OTLP/HTTP JSON export request (ExportTraceServiceRequest): one resource
// per service instance, ids as hex, times as decimal nanosecond strings, as the spec's JSON
// mapping has them.
import type { SimSpan } from './traffic';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number };

function valueOf(v: string | number): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

const attributesOf = (attributes: Record<string, string | number>) => Object.entries(attributes).map(([key, value]) => ({ key, value: valueOf(value) }));

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

export function exportRequestOf(spans: readonly SimSpan[]): object {
  const byResource = new Map<string, SimSpan[]>();
  for (const s of spans) {
    const key = `${s.service}\u0000${s.instance}`;
    let list = byResource.get(key);
    if (!list) byResource.set(key, (list = []));
    list.push(s);
  }
  return {
    resourceSpans: [...byResource.values()].map((list) => ({
      resource: { attributes: attributesOf({ 'service.name': list[0]!.service, 'service.instance.id': list[0]!.instance, 'telemetry.sdk.name': 'faultline-rca-sim' }) },
      scopeSpans: [
        {
          scope: { name: 'faultline-rca-sim', version: '1' },
          spans: list.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: nanos(s.startMs),
            endTimeUnixNano: nanos(s.startMs + s.durationMs),
            attributes: attributesOf(s.attributes),
            ...(s.links.length > 0 ? { links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId })) } : {}),
            status: s.error === null ? { code: 0 } : { code: 2, message: s.error },
          })),
        },
      ],
    })),
  };
}
