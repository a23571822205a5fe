// The RCA evaluation's plan: which faults strike which fleet when. Each fleet runs one session of
// continuous traffic: a healthy warm-up, then its cases one after another, each a fault followed
// by a healthy stretch long enough for alerts to clear and stay clear. Sessions are separated by
// silence that is never evaluated, so one fleet going quiet is not mistaken for a traffic drop.
import { CASE_TYPES, disjointPair, placementsOf, strengthOf, type CaseType, type Fault } from './faults';
import { Rng } from './random';
import { generateTopology, type SimTopology, type TopologyShape } from './topology';

export interface RcaCase {
  id: string;
  type: CaseType;
  faults: Fault[];
  /** The healthy stretch after the fault (spurious incidents are counted here too). */
  healthyUntilMs: number;
}

export interface RcaSession {
  topology: SimTopology;
  seed: number;
  startMs: number;
  endMs: number;
  cases: RcaCase[];
}

export interface RcaPlanOptions {
  /** Cases of each type (single faults and the simultaneous pair). */
  casesPerType: number;
  seed: number;
  startMs: number;
}

export const WARMUP_MS = 10 * 60_000;
const HEALTHY_AFTER_MS = 18 * 60_000;
const SESSION_GAP_MS = 20 * 60_000;

const FLEETS: ReadonlyArray<[TopologyShape, number]> = [
  ['shop', 1],
  ['layered', 2],
  ['fanout', 3],
  ['pipeline', 4],
  ['layered', 5],
  ['fanout', 6],
  ['layered', 7],
  ['pipeline', 8],
];

export function buildPlan(options: RcaPlanOptions): RcaSession[] {
  const rng = new Rng(options.seed);
  const fleets = FLEETS.map(([shape, seed]) => generateTopology(shape, seed * 1_000 + options.seed));
  const perFleet = new Map<SimTopology, Array<{ type: CaseType; placements: Array<Omit<Fault, 'rate' | 'extraMs' | 'startMs' | 'endMs'>> }>>();
  const used = new Set<string>();
  CASE_TYPES.forEach((type, typeIndex) => {
    let made = 0;
    for (let attempt = 0; made < options.casesPerType && attempt < fleets.length * 4; attempt++) {
      const fleet = fleets[(typeIndex + attempt) % fleets.length]!;
      let placements: Array<Omit<Fault, 'rate' | 'extraMs' | 'startMs' | 'endMs'>> | null;
      if (type === 'two_faults') {
        placements = disjointPair(fleet, rng);
      } else {
        // A different place each time the same fleet gets the same kind of fault, while there is one.
        const possible = placementsOf(fleet, type);
        const fresh = possible.filter((p) => !used.has(`${fleet.name}/${p.type}/${p.service}/${p.target ?? ''}`));
        placements = possible.length === 0 ? null : [rng.pick(fresh.length > 0 ? fresh : possible)];
      }
      if (!placements) continue;
      for (const p of placements) used.add(`${fleet.name}/${p.type}/${p.service}/${p.target ?? ''}`);
      perFleet.set(fleet, [...(perFleet.get(fleet) ?? []), { type, placements }]);
      made++;
    }
  });

  const sessions: RcaSession[] = [];
  let at = options.startMs;
  fleets.forEach((fleet, fleetIndex) => {
    const planned = perFleet.get(fleet) ?? [];
    if (planned.length === 0) return;
    const session: RcaSession = { topology: fleet, seed: options.seed * 100 + fleetIndex, startMs: at, endMs: 0, cases: [] };
    at += WARMUP_MS;
    // Interleave the kinds so consecutive cases in a fleet differ.
    for (const [i, p] of rng.shuffle(planned).entries()) {
      const faultMs = (2 + rng.int(0, 2)) * 60_000;
      const faults = p.placements.map((placement, k) => ({ ...placement, ...strengthOf(placement.type, rng), startMs: at + k * 20_000, endMs: at + k * 20_000 + faultMs }));
      const end = Math.max(...faults.map((f) => f.endMs));
      session.cases.push({ id: `${fleet.name}#${i + 1}`, type: p.type, faults, healthyUntilMs: end + HEALTHY_AFTER_MS });
      at = end + HEALTHY_AFTER_MS;
    }
    session.endMs = at;
    sessions.push(session);
    at += SESSION_GAP_MS;
  });
  return sessions;
}
