// Root cause versus symptoms, as a pure function of the evidence gathered for an incident. Every
// node and edge that got worse is a candidate; each is scored on where failed traces end, on how
// much of its own degradation its callees do NOT explain, and on direct signals (breakers opened
// towards it, failing probes, queue lag, retry storms). A service whose errors or latency are
// explained by a callee's is a symptom, and says so. Nothing here knows the fleet or the faults.
import type { Candidate, CandidateRef, IncidentAnalysis, Symptom } from '@/lib/schemas/incidents';

/** Detail of a failure that is a breaker failing fast (see failureDetail). */
export const CIRCUIT_OPEN_DETAIL = 'circuit open';

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
  /**
   * Breakers that opened in the window: `service`'s breaker around its calls to `dependency`,
   * first opened `openForMs` before the window's end, `opens` times over `instances` instances.
   */
  breakers: Array<{ service: string; dependency: string; openForMs: number; opens: number; instances: number }>;
  /** Probe targets failing in the window (`target` is the check: a dependency, or the service itself). */
  probes: Array<{ service: string; target: string; dependency: string | null; message: string | null }>;
  /** Services whose own probes kept passing through the window: alive, even if nobody reached them. */
  reachable: string[];
  /** Services with alerts in the incident: the ones that need explaining. */
  alerted: string[];
}

const MIN_REQUESTS = 5;
/** Failed traces needed before where they end weighs fully. */
const MIN_FAILED_TRACES = 20;
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

  /** `overloaded` maps a service to the retry storm that explains its own trouble. */
  constructor(private readonly overloaded: ReadonlyMap<string, { ref: CandidateRef; why: string }> = new Map()) {}

  add(given: CandidateRef, weight: number, givenText: string): void {
    if (!(weight > 0)) return;
    const storm = given.kind === 'service' ? this.overloaded.get(given.service!) : undefined;
    const ref = storm?.ref ?? given;
    const text = storm ? `${givenText}, under ${storm.why}` : givenText;
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

/** Attempts per logical call on an edge (1 without retries). */
const amplification = (s: EdgeEvidence['now'] | null) => (!s || s.requests <= s.retries ? 1 : s.requests / (s.requests - s.retries));

/**
 * Services whose own trouble a retry storm explains: a caller making at least STORM_ATTEMPTS
 * attempts per call (well past one retry), its retries at least STORM_SHARE of everything the
 * service handled. The service degrades because of the load, so the storm's edge takes the blame.
 */
const STORM_ATTEMPTS = 1.8;
const STORM_SHARE = 0.3;
function retryStorms(ev: RcaEvidence, nodes: ReadonlyMap<string, NodeEvidence>): Map<string, { ref: CandidateRef; why: string }> {
  const out = new Map<string, { ref: CandidateRef; why: string; share: number }>();
  for (const e of ev.edges) {
    const callee = nodes.get(e.target);
    if (!callee || callee.kind !== 'service' || e.now.requests < MIN_REQUESTS) continue;
    const amp = amplification(e.now);
    const share = callee.now.requests === 0 ? 0 : e.now.retries / callee.now.requests;
    if (amp < STORM_ATTEMPTS || amp < 1.5 * amplification(e.before) || share < STORM_SHARE) continue;
    if ((out.get(e.target)?.share ?? 0) >= share) continue;
    out.set(e.target, { ref: { kind: 'edge', source: e.source, target: e.target }, why: `a retry storm from ${e.source} (${amp.toFixed(1)} attempts per call; ${pct(share)} of ${e.target}'s requests are retries)`, share });
  }
  return out;
}

export function rankRootCauses(ev: RcaEvidence): IncidentAnalysis {
  const nodes = new Map(ev.nodes.map((n) => [n.name, n]));
  const storms = retryStorms(ev, nodes);
  const scores = new Scores(storms);
  const outgoing = new Map<string, EdgeEvidence[]>();
  for (const e of ev.edges) outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e]);
  const openBreakers = new Map<string, RcaEvidence['breakers']>();
  for (const b of ev.breakers) openBreakers.set(b.service, [...(openBreakers.get(b.service) ?? []), b]);
  const breakerBlame = (b: RcaEvidence['breakers'][number]): CandidateRef => {
    const edge = ev.edges.find((e) => e.source === b.service && e.target === b.dependency);
    return edge ? blameOfEdge(edge, nodes, dead) : { kind: 'dependency', service: b.service, target: b.dependency };
  };
  // A breaker's callee may fail only because of its own calls (or its own open breaker): follow
  // the failure down to where it starts.
  const followDown = (ref: CandidateRef): CandidateRef => {
    let current = ref;
    const seen = new Set([refKey(current)]);
    while (current.kind === 'service') {
      const n = nodes.get(current.service!);
      const errD = n ? errorDelta(n.now, n.before) : 0;
      const latD = n ? latencyDelta(n.now, n.before) : 0;
      const calls = outgoing.get(current.service!) ?? [];
      const errorCause = calls.filter((e) => errD > 0 && errorDelta(e.now, e.before) >= EXPLAINS * errD).sort((a, b) => errorDelta(b.now, b.before) - errorDelta(a.now, a.before))[0];
      const latencyCause = calls.filter((e) => latD > 0 && latencyDelta(e.now, e.before) >= EXPLAINS * latD).sort((a, b) => latencyDelta(b.now, b.before) - latencyDelta(a.now, a.before))[0];
      const cause = errorCause ?? (errD === 0 ? latencyCause : undefined);
      const breaker = openBreakers.get(current.service!)?.[0];
      const next = cause ? blameOfEdge(cause, nodes, dead) : breaker && errD > 0 ? breakerBlame(breaker) : null;
      if (!next || seen.has(refKey(next))) break;
      seen.add(refKey(next));
      current = next;
    }
    return current;
  };
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
  // A handful of failed traces (background errors during a latency incident) says little.
  const traceConfidence = Math.min(1, ev.failedTraces / MIN_FAILED_TRACES);
  for (const o of ev.origins) {
    const share = ev.failedTraces === 0 ? 0 : o.traces / ev.failedTraces;
    // Failing fast on an open breaker: the failure starts behind the breaker, not in the caller.
    const guarding = o.ref.kind === 'service' && o.detail === CIRCUIT_OPEN_DETAIL ? (openBreakers.get(o.ref.service!) ?? []) : [];
    if (guarding.length > 0) {
      for (const b of guarding) {
        scores.add(followDown(breakerBlame(b)), (WEIGHT.traces * share * traceConfidence) / guarding.length, `${pct(share)} of failed traces fail fast at ${b.service}, whose breaker to ${b.dependency} is open`);
      }
      continue;
    }
    const answered = o.ref.kind === 'edge' ? blameOfEdge({ source: o.ref.source!, target: o.ref.target!, targetKind: 'service' }, nodes, dead) : o.ref;
    // A call that timed out against a service that did answer: the time went where that service spent it.
    const ref = o.detail === 'timeout' ? followDown(answered) : answered;
    const where = ref.kind === o.ref.kind && refKey(ref) === refKey(answered) ? describeRef(ref) : ref === answered ? `${describeRef(o.ref)}, unanswered` : `${describeRef(ref)}, below ${describeRef(o.ref)}`;
    scores.add(ref, WEIGHT.traces * share * traceConfidence, `${pct(share)} of failed traces end at ${where}${o.detail ? ` (${o.detail})` : ''}`);
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
    const breaker = openBreakers.get(node.name)?.[0];
    const storm = storms.get(node.name);
    if (storm && (errD > 0 || latD > 0)) symptoms.push({ service: node.name, reason: `overloaded by ${storm.why}`, follows: storm.ref.source! });
    if (errD > 0) {
      if (errorCause) symptoms.push({ service: node.name, reason: `errors follow its calls to ${errorCause.target} (${pct(rate(errorCause.now))} of them fail)`, follows: errorCause.target });
      else if (breaker) symptoms.push({ service: node.name, reason: `fails fast while its circuit breaker to ${breaker.dependency} is open`, follows: breaker.dependency });
      else scores.add({ kind: 'service', service: node.name }, (WEIGHT.errors * errD) / maxErr, `its own error rate rose to ${pct(rate(node.now))} (from ${pct(rate(node.before))}) while its calls did not fail more`);
    }
    if (latD > 0) {
      if (latencyCause) {
        if (!errorCause || errD === 0) symptoms.push({ service: node.name, reason: `p95 latency follows its calls to ${latencyCause.target} (${ms(latencyCause.now.p95 ?? 0)})`, follows: latencyCause.target });
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
    const amp = amplification(edge.now);
    if (edge.now.requests >= MIN_REQUESTS && amp >= 1.5 && amp >= 1.5 * amplification(edge.before)) {
      scores.add({ kind: 'edge', source: edge.source, target: edge.target }, WEIGHT.retries * Math.min(1, (amp - 1) / 2), `${edge.source} makes ${amp.toFixed(1)} attempts per call to ${edge.target} (retry storm)`);
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
    const ref = followDown(breakerBlame(b));
    const often = b.opens > 1 ? ` ${b.opens} times${b.instances > 1 ? ` on ${b.instances} instances` : ''}` : '';
    scores.add(ref, WEIGHT.breaker, `${b.service}'s circuit breaker to ${b.dependency} opened${often} (first ${ms(b.openForMs)} before the end of the window)`);
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
