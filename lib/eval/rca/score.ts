// Scoring of root-cause analysis against the generator's labels, as the RCAEval benchmark defines
// it: AC@k is the share of faults whose true root cause is among the top k candidates, Avg@5 the
// mean of AC@1..AC@5. Also how many incidents each fault opened (one is right), incidents that
// match no fault (spurious), and how long after the fault its first alert's condition began.
import type { CaseType, Fault } from '@/lib/sim/rca/faults';
import { nearestRank } from '@/lib/bench/quantile';
import type { CandidateRef } from '@/lib/schemas/incidents';

/** Whether a predicted place is the true one. A dependency is the thing depended on, whoever calls it. */
export function sameRef(predicted: CandidateRef, truth: CandidateRef): boolean {
  if (predicted.kind !== truth.kind) return false;
  switch (truth.kind) {
    case 'service':
      return predicted.service === truth.service;
    case 'edge':
      return predicted.source === truth.source && predicted.target === truth.target;
    case 'dependency':
      return predicted.target === truth.target;
  }
}

/**
 * Node-level methods (the baselines) name a node, never an edge. Strictly, a node is right when it
 * is the faulty service or dependency; leniently, either end of a faulty edge and the caller of a
 * faulty dependency count too (the benefit of the doubt, reported separately).
 */
export function nodeMatches(node: string, truth: CandidateRef, lenient = false): boolean {
  switch (truth.kind) {
    case 'service':
      return node === truth.service;
    case 'edge':
      return lenient && (node === truth.source || node === truth.target);
    case 'dependency':
      return node === truth.target || (lenient && node === truth.service);
  }
}

/** 1-based rank of the truth in a ranked list, or null when absent. */
export function rankOf<T>(ranked: readonly T[], matches: (x: T) => boolean): number | null {
  const i = ranked.findIndex(matches);
  return i < 0 ? null : i + 1;
}

export interface FaultOutcome {
  caseId: string;
  caseType: CaseType;
  fault: Fault;
  /** Incidents attributed to this fault. */
  incidents: number;
  /** Rank of the truth per method (null: not in the list, or no incident). */
  ranks: Record<string, number | null>;
  /** Event time from fault start to the first alert's condition, ms; null when nothing alerted. */
  delayMs: number | null;
}

export interface Summary {
  faults: number;
  /** AC@1..AC@5 per method. */
  ac: Record<string, number[]>;
  avg5: Record<string, number>;
  exactlyOneIncident: number;
  missed: number;
  delayP50Ms: number | null;
  delayP95Ms: number | null;
}

export function summarize(outcomes: readonly FaultOutcome[], methods: readonly string[]): Summary {
  const ac: Record<string, number[]> = {};
  const avg5: Record<string, number> = {};
  for (const m of methods) {
    ac[m] = [1, 2, 3, 4, 5].map((k) => (outcomes.length === 0 ? 0 : outcomes.filter((o) => o.ranks[m] != null && o.ranks[m]! <= k).length / outcomes.length));
    avg5[m] = ac[m]!.reduce((s, x) => s + x, 0) / 5;
  }
  const delays = outcomes.map((o) => o.delayMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  return {
    faults: outcomes.length,
    ac,
    avg5,
    exactlyOneIncident: outcomes.length === 0 ? 0 : outcomes.filter((o) => o.incidents === 1).length / outcomes.length,
    missed: outcomes.filter((o) => o.incidents === 0).length,
    delayP50Ms: nearestRank(delays, 0.5),
    delayP95Ms: nearestRank(delays, 0.95),
  };
}

export interface IncidentForMatching {
  id: string;
  openedAt: number;
  /** Services and dependencies its alerts name. */
  nodes: readonly string[];
}

/** How long after a fault ends its incident may still open (the last symptoms, slow rules). */
export const MATCH_AFTER_END_MS = 3 * 60_000;
/** How long before the fault an incident may open (a 10 s bucket already holding its first failures). */
export const MATCH_BEFORE_START_MS = 60_000;

/**
 * Attributes each incident to the fault it belongs to: one running when it opened and, of several
 * at once, the one whose reach covers most of what its alerts name. Incidents matching none are
 * spurious.
 */
export function matchIncidents(
  incidents: readonly IncidentForMatching[],
  faults: ReadonlyArray<{ key: string; fault: Fault; reach: ReadonlySet<string> }>,
): { byFault: Map<string, IncidentForMatching[]>; spurious: IncidentForMatching[] } {
  const byFault = new Map<string, IncidentForMatching[]>(faults.map((f) => [f.key, []]));
  const spurious: IncidentForMatching[] = [];
  for (const incident of incidents) {
    const running = faults.filter((f) => incident.openedAt >= f.fault.startMs - MATCH_BEFORE_START_MS && incident.openedAt <= f.fault.endMs + MATCH_AFTER_END_MS);
    const covering = running
      .map((f) => ({ f, covered: incident.nodes.filter((n) => f.reach.has(n) || n === f.fault.target).length }))
      .filter((x) => x.covered > 0)
      .sort((a, b) => b.covered - a.covered || a.f.key.localeCompare(b.f.key));
    const best = covering[0]?.f;
    if (best) byFault.get(best.key)!.push(incident);
    else spurious.push(incident);
  }
  return { byFault, spurious };
}
