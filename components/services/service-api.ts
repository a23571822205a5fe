import { apiFetch } from '@/lib/http/api-client';
import { BreakerResult } from '@/lib/schemas/breakers';
import { ProbeResultList, ProbeSummaryResult } from '@/lib/schemas/probes';
import { ServiceList } from '@/lib/schemas/trace-catalog';

export type { BreakerResult } from '@/lib/schemas/breakers';
export type { ProbeResultDto, ProbeResultList, ProbeSummaryResult } from '@/lib/schemas/probes';

/** Most results one history request draws; the API's own ceiling. */
export const MAX_PROBE_RESULTS = 5000;

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

// `to` is left to the server's clock, so the newest results are never cut off by a browser that runs behind.

export function fetchProbeSummary(q: { service?: string; from?: string }, signal?: AbortSignal) {
  return apiFetch(withQuery('/api/probes', q), ProbeSummaryResult, { signal });
}

export function fetchProbeResults(q: { service: string; from?: string }, signal?: AbortSignal) {
  return apiFetch(withQuery('/api/probes/results', { ...q, limit: String(MAX_PROBE_RESULTS) }), ProbeResultList, { signal });
}

export function fetchBreakers(q: { service?: string; from?: string }, signal?: AbortSignal) {
  return apiFetch(withQuery('/api/breakers', q), BreakerResult, { signal });
}

export function fetchTracedServices(signal?: AbortSignal) {
  return apiFetch('/api/traces/services', ServiceList, { signal });
}

/** Start of a range ending now, computed when a query runs so every refresh slides the window. */
export function rangeStart(rangeMs: number): string {
  return new Date(Date.now() - rangeMs).toISOString();
}
