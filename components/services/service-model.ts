// Pure preparation of probe and breaker data for the Services pages: the components only draw
// what these functions return.
import type { BreakerResult, BreakerSegment, BreakerState } from '@/lib/schemas/breakers';
import type { ProbeResultDto, ProbeStatus, ProbeSummaryResult } from '@/lib/schemas/probes';

// ——— Time ranges ———

export const TIME_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 } as const;
export type TimeRange = keyof typeof TIME_RANGES;
export const DEFAULT_TIME_RANGE: TimeRange = '1h';
export const TIME_RANGE_LABELS: Record<TimeRange, string> = { '15m': '15 minutes', '1h': 'hour', '6h': '6 hours', '24h': '24 hours' };

const isTimeRange = (value: string): value is TimeRange => Object.hasOwn(TIME_RANGES, value);

/** `?range=` as the URL carries it; anything unknown falls back to the default rather than failing the page. */
export function parseTimeRange(value: string | string[] | undefined): TimeRange {
  const first = Array.isArray(value) ? value[0] : value;
  return first && isTimeRange(first) ? first : DEFAULT_TIME_RANGE;
}

/** "the last hour", "the last 6 hours" */
export function describeTimeRange(range: TimeRange): string {
  return `the last ${TIME_RANGE_LABELS[range]}`;
}

// ——— Services list ———

export type ProbeHealth = ProbeStatus | 'unknown';

export interface ServiceRow {
  name: string;
  /** Worst current probe status; unknown when nothing probes the service. */
  status: ProbeHealth;
  passRatio: number | null;
  lastChangeAt: string | null;
  checks: number;
  openBreakers: number;
  breakers: number;
}

/** Every service any source knows of: probed, reporting breakers, or seen in traces. Sorted by name so rows keep their place between refreshes. */
export function mergeServiceRows(probes: ProbeSummaryResult | undefined, breakers: BreakerResult | undefined, traced: readonly string[] | undefined): ServiceRow[] {
  const rows = new Map<string, ServiceRow>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { name, status: 'unknown', passRatio: null, lastChangeAt: null, checks: 0, openBreakers: 0, breakers: 0 }));
    return r;
  };
  for (const s of probes?.services ?? []) {
    Object.assign(row(s.service), { status: s.status, passRatio: s.passRatio, lastChangeAt: s.lastChangeAt, checks: s.checks.length });
  }
  for (const edge of breakers?.edges ?? []) {
    const r = row(edge.service);
    r.openBreakers += edge.openInstances;
    r.breakers += edge.instances;
  }
  for (const name of traced ?? []) row(name);
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

// ——— Probe checks ———

/** Identifies a check the way GET /api/probes groups results. */
export function checkKey(c: { target: string; kind: string; dependency: string | null }): string {
  return JSON.stringify([c.target, c.kind, c.dependency]);
}

/** Results per check, oldest first (the API sends newest first). */
export function groupResultsByCheck(results: readonly ProbeResultDto[]): Map<string, ProbeResultDto[]> {
  const groups = new Map<string, ProbeResultDto[]>();
  for (const r of results) {
    const key = checkKey(r);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  for (const list of groups.values()) list.sort((a, b) => Date.parse(a.checkedAt) - Date.parse(b.checkedAt));
  return groups;
}

const STATUS_RANK: Record<ProbeStatus, number> = { pass: 0, warn: 1, fail: 2 };

export interface HistorySlot {
  from: number;
  to: number;
  /** Worst status in the slot; null when no result fell into it. */
  status: ProbeStatus | null;
  counts: Record<ProbeStatus, number>;
}

/**
 * The range cut into equal slots, each showing its worst result: thousands of results over 24 hours
 * still draw as a strip one can read, and a single failure is never averaged away.
 */
export function bucketHistory(results: readonly { status: ProbeStatus; checkedAt: string }[], range: { from: string; to: string }, slots = 60): HistorySlot[] {
  const start = Date.parse(range.from);
  const end = Date.parse(range.to);
  const span = Math.max(1, end - start);
  const out: HistorySlot[] = Array.from({ length: slots }, (_, i) => ({
    from: start + (span * i) / slots,
    to: start + (span * (i + 1)) / slots,
    status: null,
    counts: { pass: 0, warn: 0, fail: 0 },
  }));
  for (const r of results) {
    const t = Date.parse(r.checkedAt);
    if (t < start || t > end) continue;
    const slot = out[Math.min(slots - 1, Math.floor(((t - start) / span) * slots))]!;
    slot.counts[r.status] += 1;
    if (slot.status === null || STATUS_RANK[r.status] > STATUS_RANK[slot.status]) slot.status = r.status;
  }
  return out;
}

export function countStatuses(results: readonly { status: ProbeStatus }[]): Record<ProbeStatus, number> {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/** "118 results: 116 pass, 1 warn, 1 fail" */
export function describeCounts(counts: Record<ProbeStatus, number>): string {
  const total = counts.pass + counts.warn + counts.fail;
  if (total === 0) return 'no results';
  const parts = (['pass', 'warn', 'fail'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${total === 1 ? '1 result' : `${total} results`}: ${parts.join(', ')}`;
}

export interface LatencyChart {
  /** Measured results in time order: epoch ms and latency. */
  points: { t: number; ms: number }[];
  /** The top of the y axis, rounded up to a readable number. */
  axisMaxMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Upper axis bound: 1, 2 or 5 times a power of ten, so the label reads as a round number. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value)!;
  return step * power;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? sorted[0]!;
}

/** Latency of the results that measured one, within the range; null when none did. */
export function buildLatencyChart(results: readonly { checkedAt: string; latencyMs: number | null }[], range: { from: string; to: string }): LatencyChart | null {
  const start = Date.parse(range.from);
  const end = Date.parse(range.to);
  const points = results
    .filter((r): r is { checkedAt: string; latencyMs: number } => r.latencyMs !== null)
    .map((r) => ({ t: Date.parse(r.checkedAt), ms: r.latencyMs }))
    .filter((p) => p.t >= start && p.t <= end)
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return null;
  const sorted = points.map((p) => p.ms).sort((a, b) => a - b);
  const maxMs = sorted.at(-1)!;
  return { points, axisMaxMs: niceCeiling(maxMs), medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95), maxMs };
}

// ——— Breaker timelines ———

export const BREAKER_STATE_LABELS: Record<BreakerState, string> = {
  closed: 'closed',
  half_open: 'half-open',
  open: 'open',
  forced_open: 'forced open',
  disabled: 'disabled',
};

export interface Band {
  state: BreakerState;
  from: number;
  to: number;
  /** Position and size across the range, in percent. */
  left: number;
  width: number;
  /** Still in this state at the end of the range. */
  isOngoing: boolean;
}

/** A breaker's segments clipped to the range and laid out as bands across it. */
export function layoutBands(segments: readonly BreakerSegment[], range: { from: string; to: string }): Band[] {
  const start = Date.parse(range.from);
  const end = Date.parse(range.to);
  const span = Math.max(1, end - start);
  const bands: Band[] = [];
  for (const s of segments) {
    const from = Math.max(start, Date.parse(s.from));
    const to = Math.min(end, s.to === null ? end : Date.parse(s.to));
    if (to < from) continue;
    bands.push({ state: s.state, from, to, left: ((from - start) / span) * 100, width: ((to - from) / span) * 100, isOngoing: s.to === null });
  }
  return bands;
}

// ——— Formatting ———

/** "45s", "3m 12s", "2h 05m", "3d 4h": how long something has lasted, to the unit that matters. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${String(total % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A ratio as a percentage that never rounds a single failure up to "100%". */
export function formatRatio(ratio: number): string {
  if (ratio >= 1) return '100%';
  // The epsilon keeps binary fractions such as 0.57 * 1000 = 569.999… from flooring a step too low.
  const percent = Math.floor(ratio * 1000 + 1e-9) / 10;
  return `${percent}%`;
}

/** Clock time, with the date only when it is not the reference's day. */
export function formatClock(time: string | number, reference: string | number): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return String(time);
  const sameDay = date.toDateString() === new Date(reference).toDateString();
  return date.toLocaleString(undefined, {
    ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
