import { listProbeResults, summarizeProbeChecks, type ProbeResultRow } from '@/lib/db/probe-results';
import { resolveRange } from '@/lib/schemas/common';
import type { ProbeResultDto, ProbeServiceSummary, ProbeStatus, ProbeSummaryResult } from '@/lib/schemas/probes';

const DEFAULT_RANGE_MS = 3_600_000;
const STATUS_RANK: Record<ProbeStatus, number> = { pass: 0, warn: 1, fail: 2 };

/** GET /api/probes: per service, the current status of each check, when it last changed and how often it passed. */
export async function getProbeSummary(q: { service?: string; from?: string; to?: string }): Promise<ProbeSummaryResult> {
  const range = resolveRange(q, DEFAULT_RANGE_MS);
  const checks = await summarizeProbeChecks({ service: q.service, ...range });
  const services = new Map<string, ProbeServiceSummary & { passes: number; total: number }>();
  for (const c of checks) {
    let s = services.get(c.service);
    if (!s) services.set(c.service, (s = { service: c.service, status: 'pass', lastChangeAt: null, passRatio: 0, checks: [], passes: 0, total: 0 }));
    const lastChangeAt = c.lastChangeAt?.toISOString() ?? null;
    s.checks.push({
      target: c.target,
      kind: c.kind,
      dependency: c.dependency,
      status: c.status,
      checkedAt: c.checkedAt.toISOString(),
      latencyMs: c.latencyMs,
      message: c.message,
      lastChangeAt,
      passRatio: c.results === 0 ? 0 : c.passes / c.results,
      results: c.results,
    });
    if (STATUS_RANK[c.status] > STATUS_RANK[s.status]) s.status = c.status;
    if (lastChangeAt && (!s.lastChangeAt || lastChangeAt > s.lastChangeAt)) s.lastChangeAt = lastChangeAt;
    s.passes += c.passes;
    s.total += c.results;
  }
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    services: [...services.values()].map(({ passes, total, ...s }) => ({ ...s, passRatio: total === 0 ? 0 : passes / total })),
  };
}

export function toProbeResultDto(r: ProbeResultRow): ProbeResultDto {
  return { ...r, checkedAt: r.checkedAt.toISOString() };
}

/** GET /api/probes/results: a service's results (optionally one target's), newest first. */
export async function getProbeResults(q: { service: string; target?: string; from?: string; to?: string; limit: number }): Promise<{ from: string; to: string; results: ProbeResultDto[] }> {
  const range = resolveRange(q, DEFAULT_RANGE_MS);
  const rows = await listProbeResults({ service: q.service, target: q.target, limit: q.limit, ...range });
  return { from: range.from.toISOString(), to: range.to.toISOString(), results: rows.map(toProbeResultDto) };
}
