// Root cause versus symptoms, as a pure function of the evidence gathered for an incident. Every
// node and edge that got worse is a candidate; each is scored on where failed traces end, on how
// much of its own degradation its callees do NOT explain, and on direct signals (breakers opened
// towards it, failing probes, queue lag, retry storms). A service whose errors or latency are
// explained by a callee's is a symptom, and says so. Nothing here knows the fleet or the faults.
import type { Candidate, CandidateRef, IncidentAnalysis, Symptom } from '@/lib/schemas/incidents';

export type NodeKind = 'service' | 'database' | 'cache' | 'queue' | 'external';

export interface WindowStats {
  requests: number;
  errors: number;
  /** Milliseconds; null without requests. */
  p95: number | null;
}

/** A service (its own SERVER/CONSUMER spans) or a leaf (the calls into it), now and before. */
export interface NodeEvidence {
  name: string;
  kind: NodeKind;
  now: WindowStats;
  before: WindowStats | null;
}

export interface EdgeEvidence {
  source: string;
  target: string;
  targetKind: NodeKind;
  now: WindowStats & { timeouts: number; retries: number; lagP95: number | null };
  before: (WindowStats & { timeouts: number; retries: number; lagP95: number | null }) | null;
}

/** Where failed traces end: the deepest failing span whose own calls succeeded. */
export interface TraceOrigin {
  ref: CandidateRef;
  traces: number;
  /** The commonest failure text there ("connect timeout", "HTTP 500"). */
  detail: string | null;
}

export interface RcaEvidence {
  nodes: NodeEvidence[];
  edges: EdgeEvidence[];
  failedTraces: number;
  origins: TraceOrigin[];
  /** Breakers that opened in the window: `service`'s breaker around its calls to `dependency`. */
  breakers: Array<{ service: string; dependency: string; openForMs: number }>;
  /** Probe targets failing in the window (`target` is the check: a dependency, or the service itself). */
  probes: Array<{ service: string; target: string; dependency: string | null; message: string | null }>;
  /** Services whose own probes kept passing through the window: alive, even if nobody reached them. */
  reachable: string[];
  /** Services with alerts in the incident: the ones that need explaining. */
  alerted: string[];
}

const MIN_REQUESTS = 5;
/** Share of a degradation a callee must account for to explain it. */
const EXPLAINS = 0.5;
/** A latency change smaller than this (ms and ratio) is noise. */
const MIN_LATENCY_DELTA_MS = 50;
const MIN_LATENCY_RATIO = 1.5;
const MIN_ERROR_DELTA = 0.02;

const WEIGHT = { traces: 4, errors: 3, latency: 3, breaker: 1, probe: 1.5, lag: 2, silence: 2, retries: 2 } as const;

const rate = (s: WindowStats | null | undefined) => (!s || s.requests === 0 ? 0 : s.errors / s.requests);
const pct = (r: number) => `${Math.round(r * 100)}%`;
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

/** Error-rate increase over the baseline (0 when too little traffic to tell). */
function errorDelta(now: WindowStats, before: WindowStats | null): number {
  if (now.requests < MIN_REQUESTS) return 0;
  const d = rate(now) - rate(before);
  return d >= MIN_ERROR_DELTA ? d : 0;
}

/** p95 increase in ms over the baseline, when large enough to matter. */
function latencyDelta(now: WindowStats, before: WindowStats | null): number {
  if (now.p95 === null || before?.p95 == null || now.requests < MIN_REQUESTS) return 0;
  const d = now.p95 - before.p95;
  return d >= MIN_LATENCY_DELTA_MS && now.p95 >= before.p95 * MIN_LATENCY_RATIO ? d : 0;
}

export function refKey(ref: CandidateRef): string {
  switch (ref.kind) {
    case 'service':
      return `service:${ref.service}`;
    case 'edge':
      return `edge:${ref.source}->${ref.target}`;
    case 'dependency':
      return `dependency:${ref.service}->${ref.target}`;
  }
}

export function describeRef(ref: CandidateRef): string {
  switch (ref.kind) {
    case 'service':
      return ref.service!;
    case 'edge':
      return `${ref.source} → ${ref.target}`;
    case 'dependency':
      return `${ref.target} (dependency of ${ref.service})`;
  }
}

interface Tally {
  ref: CandidateRef;
  score: number;
  evidence: Array<{ weight: number; text: string }>;
}

class Scores {
  private readonly byKey = new Map<string, Tally>();

  add(ref: CandidateRef, weight: number, text: string): void {
    if (!(weight > 0)) return;
    const key = refKey(ref);
    let t = this.byKey.get(key);
    if (!t) this.byKey.set(key, (t = { ref, score: 0, evidence: [] }));
    t.score += weight;
    t.evidence.push({ weight, text });
  }

  ranked(): Candidate[] {
    return [...this.byKey.values()]
      .sort((a, b) => b.score - a.score || refKey(a.ref).localeCompare(refKey(b.ref)))
      .map((t) => ({ ...t.ref, score: Math.round(t.score * 100) / 100, evidence: t.evidence.sort((a, b) => b.weight - a.weight).map((e) => e.text) }));
  }
}

/**
 * The candidate a failing edge points at. The callee is to blame when it fails on its own or has
 * vanished (no requests served, or its probe failing); a leaf (database, external API…) is a
 * dependency of the caller; otherwise the trouble is between the two: the edge.
 */
function blameOfEdge(edge: Pick<EdgeEvidence, 'source' | 'target' | 'targetKind'>, nodes: ReadonlyMap<string, NodeEvidence>, deadServices: ReadonlySet<string>): CandidateRef {
  // A callee that never reports spans of its own is a dependency, whatever the caller calls it.
  const instrumented = nodes.get(edge.target)?.kind === 'service';
  if (edge.targetKind !== 'service' || !instrumented) return { kind: 'dependency', service: edge.source, target: edge.target };
  if (deadServices.has(edge.target)) return { kind: 'service', service: edge.target };
  const callee = nodes.get(edge.target);
  if (callee && (errorDelta(callee.now, callee.before) > 0 || latencyDelta(callee.now, callee.before) > 0)) return { kind: 'service', service: edge.target };
  return { kind: 'edge', source: edge.source, target: edge.target };
}

export function rankRootCauses(ev: RcaEvidence): IncidentAnalysis {
  const scores = new Scores();
  const nodes = new Map(ev.nodes.map((n) => [n.name, n]));
  const outgoing = new Map<string, EdgeEvidence[]>();
  for (const e of ev.edges) outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e]);
  const failingProbe = new Set(ev.probes.filter((p) => p.dependency === null).map((p) => p.service));
  // A service whose own probe fails is down; so is one that served traffic before and none now,
  // unless its probe still reaches it (then its callers cannot reach it: look at the network).
  const reachable = new Set(ev.reachable);
  const dead = new Set(
    ev.nodes
      .filter((n) => n.kind === 'service' && (failingProbe.has(n.name) || ((n.before?.requests ?? 0) >= MIN_REQUESTS && n.now.requests === 0 && !reachable.has(n.name))))
      .map((n) => n.name),
  );

  // 1. Where failed traces end. A call nothing answered blames what blameOfEdge says: the callee
  // when it is down, a dependency when it is not ours, else the network between.
  for (const o of ev.origins) {
    const share = ev.failedTraces === 0 ? 0 : o.traces / ev.failedTraces;
    const ref = o.ref.kind === 'edge' ? blameOfEdge({ source: o.ref.source!, target: o.ref.target!, targetKind: 'service' }, nodes, dead) : o.ref;
    const where = ref.kind === o.ref.kind ? describeRef(ref) : `${describeRef(o.ref)}, unanswered`;
    scores.add(ref, WEIGHT.traces * share, `${pct(share)} of failed traces end at ${where}${o.detail ? ` (${o.detail})` : ''}`);
  }

  // 2. Errors and latency that callees do not explain.
  const symptoms: Symptom[] = [];
  const maxErr = Math.max(1e-9, ...ev.nodes.map((n) => errorDelta(n.now, n.before)), ...ev.edges.map((e) => errorDelta(e.now, e.before)));
  const maxLat = Math.max(1e-9, ...ev.nodes.map((n) => latencyDelta(n.now, n.before)), ...ev.edges.map((e) => latencyDelta(e.now, e.before)));
  for (const node of ev.nodes) {
    if (node.kind !== 'service') continue;
    const errD = errorDelta(node.now, node.before);
    const latD = latencyDelta(node.now, node.before);
    const calls = outgoing.get(node.name) ?? [];
    const errorCause = calls.filter((e) => errorDelta(e.now, e.before) >= EXPLAINS * errD).sort((a, b) => errorDelta(b.now, b.before) - errorDelta(a.now, a.before))[0];
    const latencyCause = calls.filter((e) => latencyDelta(e.now, e.before) >= EXPLAINS * latD).sort((a, b) => latencyDelta(b.now, b.before) - latencyDelta(a.now, a.before))[0];
    if (errD > 0) {
      if (errorCause) symptoms.push({ service: node.name, reason: `errors follow its calls to ${errorCause.target} (${pct(rate(errorCause.now))} of them fail)` });
      else scores.add({ kind: 'service', service: node.name }, (WEIGHT.errors * errD) / maxErr, `its own error rate rose to ${pct(rate(node.now))} (from ${pct(rate(node.before))}) while its calls did not fail more`);
    }
    if (latD > 0) {
      if (latencyCause) {
        if (!errorCause || errD === 0) symptoms.push({ service: node.name, reason: `p95 latency follows its calls to ${latencyCause.target} (${ms(latencyCause.now.p95 ?? 0)})` });
      } else {
        scores.add({ kind: 'service', service: node.name }, (WEIGHT.latency * latD) / maxLat, `its own p95 rose to ${ms(node.now.p95 ?? 0)} (from ${ms(node.before?.p95 ?? 0)}), not explained by its calls`);
      }
    }
  }
  for (const edge of ev.edges) {
    const errD = errorDelta(edge.now, edge.before);
    const latD = latencyDelta(edge.now, edge.before);
    const callee = nodes.get(edge.target);
    const blame = blameOfEdge(edge, nodes, dead);
    if (errD > 0) {
      const calleeErr = callee ? errorDelta(callee.now, callee.before) : 0;
      // The callee's own failures explain the caller's view; the edge itself adds nothing then.
      if (blame.kind !== 'service' || calleeErr < EXPLAINS * errD) {
        const timeouts = edge.now.requests === 0 ? 0 : edge.now.timeouts / edge.now.requests;
        scores.add(blame, (WEIGHT.errors * errD) / maxErr, `${pct(rate(edge.now))} of ${edge.source}'s calls to ${edge.target} fail${timeouts > 0.5 * rate(edge.now) ? ', mostly timeouts' : ''}${blame.kind === 'edge' ? `, while ${edge.target} itself answers normally` : ''}`);
      }
    }
    if (latD > 0) {
      const calleeLat = callee ? latencyDelta(callee.now, callee.before) : 0;
      if (blame.kind !== 'service' || calleeLat < EXPLAINS * latD) {
        scores.add(blame, (WEIGHT.latency * latD) / maxLat, `${edge.source}'s calls to ${edge.target} slowed to p95 ${ms(edge.now.p95 ?? 0)} (from ${ms(edge.before?.p95 ?? 0)})`);
      }
    }
    // A retry storm: attempts per call far above normal on one edge.
    const amp = (s: EdgeEvidence['now'] | null) => (!s || s.requests <= s.retries ? 1 : s.requests / (s.requests - s.retries));
    if (edge.now.requests >= MIN_REQUESTS && amp(edge.now) >= 1.5 && amp(edge.now) >= 1.5 * amp(edge.before)) {
      scores.add({ kind: 'edge', source: edge.source, target: edge.target }, WEIGHT.retries * Math.min(1, (amp(edge.now) - 1) / 2), `${edge.source} makes ${amp(edge.now).toFixed(1)} attempts per call to ${edge.target} (retry storm)`);
    }
    // Queue lag: the consumer is behind.
    if (edge.targetKind === 'service' && edge.now.lagP95 !== null && edge.now.lagP95 > Math.max(2 * (edge.before?.lagP95 ?? 0), 1000)) {
      scores.add({ kind: 'service', service: edge.target }, WEIGHT.lag, `messages from ${edge.source} wait ${ms(edge.now.lagP95)} (p95) before ${edge.target} processes them`);
    }
  }

  // 3. Silence: a service that stopped handling requests while its inputs kept coming.
  for (const name of dead) {
    const n = nodes.get(name)!;
    if (!n) continue;
    const fed = ev.edges.filter((e) => e.target === name && e.now.requests >= MIN_REQUESTS);
    const why = failingProbe.has(name) ? 'its own health probe fails' : `it handled ${n.before?.requests ?? 0} requests before and none now${fed.length ? ` although ${fed.map((e) => e.source).join(', ')} still call it` : ''}`;
    scores.add({ kind: 'service', service: name }, WEIGHT.silence, why);
  }

  // 4. Breakers and probes point at what they guard.
  for (const b of ev.breakers) {
    const edge = ev.edges.find((e) => e.source === b.service && e.target === b.dependency);
    const ref = edge ? blameOfEdge(edge, nodes, dead) : { kind: 'dependency' as const, service: b.service, target: b.dependency };
    scores.add(ref, WEIGHT.breaker, `${b.service}'s circuit breaker to ${b.dependency} opened (open ${ms(b.openForMs)})`);
  }
  for (const p of ev.probes) {
    if (p.dependency === null) continue;
    scores.add({ kind: 'dependency', service: p.service, target: p.dependency }, WEIGHT.probe, `${p.service}'s health check ${p.target} fails${p.message ? `: ${p.message}` : ''}`);
  }

  let candidates = scores.ranked();
  if (candidates.length === 0) {
    // Nothing measurable got worse (e.g. only a probe alert): fall back on what alerted.
    candidates = ev.alerted.map((service) => ({ kind: 'service' as const, service, score: 0.1, evidence: ['alerted, without further evidence in traces or rollups'] }));
  }
  const best = candidates[0] ?? { kind: 'service' as const, service: 'unknown', score: 0, evidence: ['no evidence'] };
  const total = candidates.reduce((s, c) => s + c.score, 0);
  const second = candidates[1]?.score ?? 0;
  const confidence = total === 0 ? 0 : Math.round(Math.min(1, (best.score - second) / best.score + best.score / total) * 50) / 100;
  const rootService = best.kind === 'service' ? best.service : null;
  return {
    rootCause: { kind: best.kind, ...(best.service ? { service: best.service } : {}), ...(best.source ? { source: best.source } : {}), ...(best.target ? { target: best.target } : {}), confidence, evidence: best.evidence },
    candidates: candidates.slice(0, 10),
    symptoms: dedupeSymptoms(symptoms.filter((s) => s.service !== rootService)),
  };
}

function dedupeSymptoms(symptoms: Symptom[]): Symptom[] {
  const seen = new Map<string, Symptom>();
  for (const s of symptoms) if (!seen.has(s.service)) seen.set(s.service, s);
  return [...seen.values()].sort((a, b) => a.service.localeCompare(b.service));
}
