// What the rules look at, at one evaluation time (event time): each rule's window of the 10 s
// rollups ending then (the current, partial bucket included, so an alert need not wait for a
// minute to fill), minute counts for the long burn-rate and baseline windows, the probes' latest
// runs and the breakers' states. Inputs are read once for a range and sliced in memory, so a live
// tick and a replay tick over the same data compute the same snapshot.
import { deriveBreakerEdges } from '@/lib/breakers/state';
import { breakerEventsForRange, type BreakerEventRow } from '@/lib/db/breaker-events';
import { readFineRollups, readProbeRuns, readServiceMinuteCounts, type FineEdgeRow, type FineServiceRow, type ProbeRun, type ServiceMinuteCounts } from '@/lib/db/detection';
import { addInto, emptyHistogram, quantileMs } from '@/lib/rollup/histogram';
import { FINE_BUCKET_MS } from '@/lib/rollup/span-facts';
import type { RuleConfig } from '@/lib/schemas/alerts';
import type { DetectionSnapshot, EdgeWindow, ServiceWindow, WindowCounts } from './rules';

const MINUTE_MS = 60_000;
/** How far back probe results and breaker transitions count (a breaker open longer still shows: its last transition is kept). */
const STATE_LOOKBACK_MS = 3_600_000;

export interface DetectionInputs {
  services: Map<string, FineServiceRow[]>;
  edges: Map<string, FineEdgeRow[]>;
  minutes: Map<string, ServiceMinuteCounts[]>;
  probes: Map<string, ProbeRun[]>;
  breakerEvents: BreakerEventRow[];
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(row);
  }
  return out;
}

/** How far before an evaluation time each kind of input is needed. */
function lookbacks(rules: RuleConfig): { fineMs: number; minuteMs: number } {
  const fineMs = Math.max(rules.error_rate.windowMs, rules.latency_p99.windowMs, rules.retry_amplification.windowMs, rules.queue_lag.windowMs, rules.traffic_drop.windowMs, rules.burn_rate.shortWindowMs);
  const minuteMs = Math.max(rules.burn_rate.longWindowMs, rules.traffic_drop.windowMs + rules.traffic_drop.baselineMs) + MINUTE_MS;
  return { fineMs: fineMs + FINE_BUCKET_MS, minuteMs };
}

/** Everything snapshots at any time in [from, to] need, in one read. */
export async function loadDetectionInputs(from: Date, to: Date, rules: RuleConfig): Promise<DetectionInputs> {
  const { fineMs, minuteMs } = lookbacks(rules);
  const f = from.getTime();
  const [fine, minutes, probes, breakerEvents] = await Promise.all([
    readFineRollups(new Date(floorTo(f - fineMs, FINE_BUCKET_MS)), to),
    readServiceMinuteCounts(new Date(floorTo(f - minuteMs, MINUTE_MS)), to),
    readProbeRuns(new Date(f - STATE_LOOKBACK_MS), to),
    breakerEventsForRange({ from: new Date(f - STATE_LOOKBACK_MS), to }),
  ]);
  return {
    services: groupBy(fine.services, (r) => r.service),
    edges: groupBy(fine.edges, (r) => `${r.source}\u0000${r.target}`),
    minutes: groupBy(minutes, (r) => r.service),
    probes: groupBy(probes, (r) => `${r.service}\u0000${r.target}`),
    breakerEvents,
  };
}

/** Index of the first row at or after `t` (rows sorted by `time`). */
function lowerBound<T>(rows: readonly T[], t: number, time: (row: T) => number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time(rows[mid]!) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows whose bucket starts in [from, to). */
function slice<T>(rows: readonly T[] | undefined, from: number, to: number, time: (row: T) => number): readonly T[] {
  if (!rows) return [];
  return rows.slice(lowerBound(rows, from, time), lowerBound(rows, to, time));
}

const byBucket = (r: { bucket: number }) => r.bucket;
const byMinute = (r: { minute: number }) => r.minute;

/** A rule window ending at `at`: from the start of the 10 s bucket `lengthMs` earlier. */
function fineWindow(at: number, lengthMs: number): { from: number; seconds: number } {
  const from = floorTo(at - lengthMs, FINE_BUCKET_MS);
  return { from, seconds: Math.max(1, (at - from) / 1000) };
}

function counts(rows: ReadonlyArray<{ requests: number; errors: number }>, seconds: number): WindowCounts {
  let requests = 0;
  let errors = 0;
  for (const r of rows) {
    requests += r.requests;
    errors += r.errors;
  }
  return { requests, errors, seconds };
}

function histOf<T>(rows: readonly T[], hist: (row: T) => readonly number[] | null): number[] | null {
  let out: number[] | null = null;
  for (const r of rows) {
    const h = hist(r);
    if (h) out = addInto(out ?? emptyHistogram(), h);
  }
  return out;
}

function serviceWindow(inputs: DetectionInputs, service: string, at: number, rules: RuleConfig): ServiceWindow {
  const rows = inputs.services.get(service);
  const within = (lengthMs: number) => {
    const w = fineWindow(at, lengthMs);
    return { rows: slice(rows, w.from, at, byBucket), ...w };
  };
  const errors = within(rules.error_rate.windowMs);
  const latency = within(rules.latency_p99.windowMs);
  const traffic = within(rules.traffic_drop.windowMs);
  const short = within(rules.burn_rate.shortWindowMs);
  const minutes = inputs.minutes.get(service);
  const longFrom = floorTo(at - rules.burn_rate.longWindowMs, MINUTE_MS);
  // The baseline is the whole minutes before the traffic window.
  const baselineTo = floorTo(traffic.from, MINUTE_MS);
  const baselineFrom = floorTo(baselineTo - rules.traffic_drop.baselineMs, MINUTE_MS);
  const baselineRows = slice(minutes, baselineFrom, baselineTo, byMinute);
  const hist = histOf(latency.rows, (r) => r.hist);
  const latencyCounts = counts(latency.rows, latency.seconds);
  return {
    service,
    errors: counts(errors.rows, errors.seconds),
    latency: { requests: latencyCounts.requests, p99: hist ? quantileMs(hist, 0.99) : null },
    traffic: counts(traffic.rows, traffic.seconds),
    baselineRps: baselineRows.length === 0 ? null : counts(baselineRows, 0).requests / Math.max(1, (baselineTo - baselineFrom) / 1000),
    burnShort: counts(short.rows, short.seconds),
    burnLong: counts(slice(minutes, longFrom, at, byMinute), Math.max(1, (at - longFrom) / 1000)),
  };
}

function edgeWindow(rows: readonly FineEdgeRow[], at: number, rules: RuleConfig): EdgeWindow | null {
  const within = (lengthMs: number) => {
    const w = fineWindow(at, lengthMs);
    return { rows: slice(rows, w.from, at, byBucket), ...w };
  };
  const errors = within(rules.error_rate.windowMs);
  const attempts = within(rules.retry_amplification.windowMs);
  const lag = within(rules.queue_lag.windowMs);
  if (errors.rows.length + attempts.rows.length + lag.rows.length === 0) return null;
  const lagHist = histOf(lag.rows, (r) => r.lagHist);
  const middle = lag.from + (at - lag.from) / 2;
  const halfP95 = (rows: readonly FineEdgeRow[]) => {
    const h = histOf(rows, (r) => r.lagHist);
    return h ? quantileMs(h, 0.95) : null;
  };
  let retries = 0;
  let requests = 0;
  for (const r of attempts.rows) {
    retries += r.retries;
    requests += r.requests;
  }
  return {
    source: rows[0]!.source,
    target: rows[0]!.target,
    errors: counts(errors.rows, errors.seconds),
    attempts: { requests, retries },
    lagP95: lagHist ? quantileMs(lagHist, 0.95) : null,
    lagTrend: { firstHalfP95: halfP95(lag.rows.filter((r) => r.bucket < middle)), secondHalfP95: halfP95(lag.rows.filter((r) => r.bucket >= middle)) },
  };
}

/** The snapshot at `at` from inputs loaded for a range that contains it. */
export function snapshotAt(inputs: DetectionInputs, atDate: Date, rules: RuleConfig): DetectionSnapshot {
  const at = atDate.getTime();
  const { fineMs, minuteMs } = lookbacks(rules);
  // Services seen recently or during the baseline: a service gone silent still gets evaluated.
  const services = new Set<string>();
  for (const [service, rows] of inputs.services) if (slice(rows, at - fineMs, at, byBucket).length > 0) services.add(service);
  for (const [service, rows] of inputs.minutes) if (slice(rows, at - minuteMs, at, byMinute).length > 0) services.add(service);
  const edges: EdgeWindow[] = [];
  for (const rows of inputs.edges.values()) {
    const edge = edgeWindow(rows, at, rules);
    if (edge) edges.push(edge);
  }

  const depth = Math.max(1, rules.probe_failing.consecutive);
  const probes: DetectionSnapshot['probes'] = [];
  for (const runs of inputs.probes.values()) {
    const recent = slice(runs, at - STATE_LOOKBACK_MS + 1, at + 1, (r) => r.checkedAt).slice(-depth).reverse();
    if (recent.length === 0) continue;
    const leading = recent.findIndex((r) => r.status !== 'fail');
    probes.push({ service: recent[0]!.service, target: recent[0]!.target, consecutiveFailures: leading === -1 ? recent.length : leading, lastMessage: recent[0]!.message });
  }

  const breakerRows = inputs.breakerEvents.filter((e) => e.at.getTime() <= at);
  const breakers = deriveBreakerEdges(breakerRows, { from: new Date(at - STATE_LOOKBACK_MS), to: atDate }).map((b) => ({
    service: b.service,
    dependency: b.dependency,
    // Half-open between failed trials is still open: the guarded calls keep failing fast.
    open: b.openForMs !== null,
    openForMs: b.openForMs,
  }));

  return {
    at: atDate,
    services: [...services].sort().map((service) => serviceWindow(inputs, service, at, rules)),
    edges: edges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target)),
    probes: probes.sort((a, b) => a.service.localeCompare(b.service) || a.target.localeCompare(b.target)),
    breakers,
  };
}

/** The snapshot at `at`, read from the stores (one live tick). */
export async function buildSnapshot(at: Date, rules: RuleConfig): Promise<DetectionSnapshot> {
  return snapshotAt(await loadDetectionInputs(at, at, rules), at, rules);
}
