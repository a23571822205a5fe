// Gathers what rankRootCauses weighs for an incident: the services and edges in its window
// against the quarter hour before it (rollups), where a sample of its failed traces start to
// fail, the breakers that opened, and the probes that failed or kept passing.
import { breakerEventsForRange } from '@/lib/db/breaker-events';
import { readProbeRuns } from '@/lib/db/detection';
import { aggregateEdges, aggregateServices, type EdgeAggregate, type ServiceAggregate } from '@/lib/db/graph';
import { failingSpansOfFailedTraces } from '@/lib/db/rca';
import { quantileMs } from '@/lib/rollup/histogram';
import type { EdgeEvidence, NodeEvidence, NodeKind, RcaEvidence, WindowStats } from './rank';
import { traceOrigins } from './origins';

const BASELINE_MS = 15 * 60_000;
/** Evidence is weighed from a little before the first alert's condition began to a few minutes after. */
const LEAD_MS = 20_000;
const ONSET_MS = 3 * 60_000;
/** Failed traces sampled per analysis: enough for shares, cheap at any traffic. */
const TRACE_SAMPLE = 300;

const serviceStats = (s: ServiceAggregate | undefined): WindowStats | null => (s ? { requests: s.requests, errors: s.errors, p95: quantileMs(s.hist, 0.95) } : null);
const edgeStats = (e: EdgeAggregate) => ({ requests: e.requests, errors: e.errors, p95: quantileMs(e.hist, 0.95), timeouts: e.timeouts, retries: e.retries, lagP95: e.lagHist ? quantileMs(e.lagHist, 0.95) : null });
const edgeKey = (e: { source: string; target: string }) => `${e.source}\u0000${e.target}`;

/**
 * Evidence for an incident that began at `openedAt`, looked at over its onset,
 * limited to the neighbourhood of the services its alerts name.
 */
export async function gatherEvidence(openedAt: Date, until: Date, alerted: readonly string[]): Promise<RcaEvidence> {
  // The onset tells the cause: minutes before it dilute the failure, later ones add recovery,
  // slow rules and other failures. (openedAt is when the first alert's condition began.)
  const from = new Date(openedAt.getTime() - LEAD_MS);
  const to = new Date(Math.max(Math.min(until.getTime(), openedAt.getTime() + ONSET_MS), from.getTime() + 60_000));
  const baselineFrom = new Date(from.getTime() - BASELINE_MS);
  const [servicesNow, servicesBefore, edgesNow, edgesBefore, breakerRows, probeRuns] = await Promise.all([
    aggregateServices(from, to),
    aggregateServices(baselineFrom, from),
    aggregateEdges(from, to),
    aggregateEdges(baselineFrom, from),
    breakerEventsForRange({ from, to }),
    readProbeRuns(from, to),
  ]);

  // In view: the alerted services and what they depend on, two calls down, so a root cause that
  // did not alert itself (a database, a quiet callee) is seen, and a failure elsewhere in the
  // fleet at the same time is not.
  const inScope = new Set(alerted);
  const allEdges = [...edgesNow, ...edgesBefore];
  for (let hop = 0; hop < 2; hop++) {
    for (const e of allEdges) if (inScope.has(e.source)) inScope.add(e.target);
  }

  const beforeByEdge = new Map(edgesBefore.map((e) => [edgeKey(e), e]));
  const nowByEdge = new Map(edgesNow.map((e) => [edgeKey(e), e]));
  const edges: EdgeEvidence[] = [];
  for (const key of new Set([...nowByEdge.keys(), ...beforeByEdge.keys()])) {
    const now = nowByEdge.get(key);
    const before = beforeByEdge.get(key);
    const any = (now ?? before)!;
    if (!inScope.has(any.source)) continue;
    edges.push({
      source: any.source,
      target: any.target,
      targetKind: any.targetKind,
      now: now ? edgeStats(now) : { requests: 0, errors: 0, p95: null, timeouts: 0, retries: 0, lagP95: null },
      before: before ? edgeStats(before) : null,
    });
  }

  const nodes: NodeEvidence[] = [];
  const beforeBySvc = new Map(servicesBefore.map((s) => [s.service, s]));
  const nowBySvc = new Map(servicesNow.map((s) => [s.service, s]));
  for (const name of new Set([...nowBySvc.keys(), ...beforeBySvc.keys()])) {
    if (!inScope.has(name)) continue;
    nodes.push({ name, kind: 'service', now: serviceStats(nowBySvc.get(name)) ?? { requests: 0, errors: 0, p95: null }, before: serviceStats(beforeBySvc.get(name)) });
  }
  // Leaves (databases, caches, queues, external APIs) as their callers see them.
  const leaves = new Map<string, { kind: NodeKind; now: WindowStats; before: WindowStats }>();
  for (const e of edges) {
    if (e.targetKind === 'service' || nowBySvc.has(e.target) || beforeBySvc.has(e.target)) continue;
    const leaf = leaves.get(e.target) ?? { kind: e.targetKind, now: { requests: 0, errors: 0, p95: null }, before: { requests: 0, errors: 0, p95: null } };
    leaf.now = { requests: leaf.now.requests + e.now.requests, errors: leaf.now.errors + e.now.errors, p95: Math.max(leaf.now.p95 ?? 0, e.now.p95 ?? 0) || null };
    if (e.before) leaf.before = { requests: leaf.before.requests + e.before.requests, errors: leaf.before.errors + e.before.errors, p95: Math.max(leaf.before.p95 ?? 0, e.before.p95 ?? 0) || null };
    leaves.set(e.target, leaf);
  }
  for (const [name, leaf] of leaves) nodes.push({ name, kind: leaf.kind, now: leaf.now, before: leaf.before });

  // Failed traces through what alerted: where they end is the incident's own failure.
  const sample = await failingSpansOfFailedTraces(from, to, [...alerted], TRACE_SAMPLE);

  // One entry per guarded call (caller → dependency), however many instances and re-openings.
  const breakerGroups = new Map<string, RcaEvidence['breakers'][number] & { instanceSet: Set<string> }>();
  for (const b of breakerRows) {
    if ((b.to !== 'open' && b.to !== 'forced_open') || b.at < from || b.at > to || (!inScope.has(b.service) && !inScope.has(b.dependency))) continue;
    const key = `${b.service}\u0000${b.dependency}`;
    const group = breakerGroups.get(key) ?? { service: b.service, dependency: b.dependency, openForMs: 0, opens: 0, instances: 0, instanceSet: new Set<string>() };
    group.openForMs = Math.max(group.openForMs, to.getTime() - b.at.getTime());
    group.opens++;
    group.instanceSet.add(b.instance);
    breakerGroups.set(key, group);
  }
  const breakers = [...breakerGroups.values()].map(({ instanceSet, ...b }) => ({ ...b, instances: instanceSet.size }));

  // Dependency checks (a health document's entries) that fail name the dependency; a service's
  // own checks failing (not explained by a failing dependency check) mean the service is down,
  // and any own check answering means it is up, whether or not its callers get through.
  const probes: RcaEvidence['probes'] = [];
  const reachable = new Set<string>();
  const byService = new Map<string, typeof probeRuns>();
  for (const run of probeRuns) byService.set(run.service, [...(byService.get(run.service) ?? []), run]);
  for (const [service, runs] of byService) {
    const failingDeps = new Map<string, typeof probeRuns>();
    for (const r of runs) if (r.kind === 'dependency' && r.status === 'fail') failingDeps.set(r.target, [...(failingDeps.get(r.target) ?? []), r]);
    let dependencyFails = false;
    for (const [target, fails] of failingDeps) {
      // Two failures make a failing check; one is a blip.
      if (fails.length < 2) continue;
      dependencyFails = true;
      probes.push({ service, target, dependency: fails[0]!.dependency ?? target, message: fails.at(-1)!.message });
    }
    const own = runs.filter((r) => r.kind !== 'dependency');
    const ownFails = own.filter((r) => r.status === 'fail');
    if (ownFails.length >= 2 && !dependencyFails) probes.push({ service, target: ownFails[0]!.target, dependency: null, message: ownFails.at(-1)!.message });
    else if (own.some((r) => r.status !== 'fail')) reachable.add(service);
  }

  return {
    nodes,
    edges,
    failedTraces: sample.failedTraces,
    origins: traceOrigins(sample.spans),
    breakers,
    probes,
    reachable: [...reachable],
    alerted: [...alerted],
  };
}
