// npm run eval:rca — how well Faultline finds root causes on fleets and faults it was not written
// against. The seeded generator (lib/sim/rca) plays each fleet's session at compressed event time
// through the real ingest endpoints of a throwaway production app (live detector off), then
// POST /api/admin/evaluate replays detection and correlation over each session. Incidents are
// matched to the injected faults and scored with the baselines on the same dependency map.
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiKey } from '@/lib/auth/api-keys';
import { startScratchDatabase } from '@/lib/db/scratch-database';
import { countEdgeCandidates } from '@/lib/db/rollups';
import { AppProcess } from '@/lib/bench/app';
import type { AlertDto } from '@/lib/schemas/alerts';
import type { GraphResult } from '@/lib/schemas/graph';
import type { EvaluateResultDto, IncidentDto } from '@/lib/schemas/incidents';
import { buildIfStale } from '@/lib/server/launcher';
import { CASE_TYPES, reachOf, truthOf, type Fault } from '@/lib/sim/rca/faults';
import { exportRequestOf } from '@/lib/sim/rca/otlp-json';
import { buildPlan, WARMUP_MS, type RcaSession } from '@/lib/sim/rca/plan';
import { FleetTraffic, type Telemetry } from '@/lib/sim/rca/traffic';
import { describeRef } from '@/lib/correlate/rank';
import { highestErrorRate, personalizedPageRank } from './baselines';
import { matchIncidents, nodeMatches, rankOf, sameRef, summarize, type FaultOutcome, type IncidentForMatching } from './score';

export interface RcaEvalOptions {
  seed: number;
  casesPerType: number;
  /** Only the first N fleets (a quicker, smaller run). */
  fleets?: number;
  /** Write every fault's outcome as JSON here. */
  out?: string;
}

export const METHODS = ['faultline', 'highest-error-rate', 'microrank-ppr'] as const;
const LENIENT = ['highest-error-rate (lenient)', 'microrank-ppr (lenient)'] as const;
const SPANS_PER_REQUEST = 4_000;
const CHUNK_MS = 60_000;
const IN_FLIGHT = 3;

class Sender {
  private readonly inFlight = new Set<Promise<void>>();
  sent = { spans: 0, probes: 0, breakerEvents: 0 };

  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  private async post(path: string, body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` }, body });
      if (res.ok) {
        await res.arrayBuffer();
        return;
      }
      const text = await res.text();
      // Back-pressure is expected at full speed: wait as told and send again.
      if ((res.status === 429 || res.status === 503) && attempt < 50) {
        await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
        continue;
      }
      throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
    }
  }

  private async enqueue(path: string, body: string): Promise<void> {
    while (this.inFlight.size >= IN_FLIGHT) await Promise.race(this.inFlight);
    const p = this.post(path, body).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async send(t: Telemetry): Promise<void> {
    for (let i = 0; i < t.spans.length; i += SPANS_PER_REQUEST) await this.enqueue('/v1/traces', JSON.stringify(exportRequestOf(t.spans.slice(i, i + SPANS_PER_REQUEST))));
    for (let i = 0; i < t.probes.length; i += 1000) await this.enqueue('/v1/probes', JSON.stringify({ results: t.probes.slice(i, i + 1000) }));
    for (let i = 0; i < t.breakers.length; i += 1000) await this.enqueue('/v1/breaker-events', JSON.stringify({ events: t.breakers.slice(i, i + 1000) }));
    this.sent.spans += t.spans.length;
    this.sent.probes += t.probes.length;
    this.sent.breakerEvents += t.breakers.length;
  }

  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

async function getJson<T>(url: string, key: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Ranked node lists of both baselines for a fault, from the map during its first two minutes and the quarter hour before. */
async function baselineRankings(url: string, key: string, fault: Fault): Promise<Record<string, string[]>> {
  const until = Math.min(fault.endMs, fault.startMs + 2 * 60_000);
  const [now, before] = await Promise.all([
    getJson<GraphResult>(`${url}/api/graph?from=${iso(fault.startMs)}&to=${iso(until)}`, key),
    getJson<GraphResult>(`${url}/api/graph?from=${iso(fault.startMs - 15 * 60_000)}&to=${iso(fault.startMs)}`, key),
  ]);
  return { 'highest-error-rate': highestErrorRate(now), 'microrank-ppr': personalizedPageRank(now, before) };
}

function alertNodes(a: Pick<AlertDto, 'entity'>): string[] {
  const e = a.entity;
  return e.type === 'service' ? [e.service] : e.type === 'edge' ? [e.source, e.target] : [e.service, e.dependency];
}

async function scoreSession(url: string, key: string, session: RcaSession, result: EvaluateResultDto): Promise<{ outcomes: FaultOutcome[]; spurious: IncidentDto[] }> {
  const alerts = new Map(result.alerts.map((a) => [a.id, a]));
  const forMatching: IncidentForMatching[] = result.incidents.map((i) => ({ id: i.id, openedAt: Date.parse(i.openedAt), nodes: i.alertIds.flatMap((id) => (alerts.has(id) ? alertNodes(alerts.get(id)!) : [])) }));
  const faults = session.cases.flatMap((c) => c.faults.map((fault, k) => ({ key: `${c.id}/${k}`, caseId: c.id, caseType: c.type, fault, reach: reachOf(session.topology, fault) })));
  const { byFault, spurious } = matchIncidents(forMatching, faults);
  const incidents = new Map(result.incidents.map((i) => [i.id, i]));
  const outcomes: FaultOutcome[] = [];
  for (const f of faults) {
    const matched = (byFault.get(f.key) ?? []).sort((a, b) => a.openedAt - b.openedAt);
    const truth = truthOf(f.fault);
    const first = matched[0] ? incidents.get(matched[0].id)! : null;
    const baselines = await baselineRankings(url, key, f.fault);
    const started = matched.flatMap((m) => incidents.get(m.id)!.alertIds.map((id) => alerts.get(id)).filter((a) => a !== undefined)).map((a) => Date.parse(a.startedAt));
    outcomes.push({
      caseId: f.caseId,
      caseType: f.caseType,
      fault: f.fault,
      incidents: matched.length,
      ranks: {
        faultline: first ? rankOf(first.candidates, (c) => sameRef(c, truth)) : null,
        'highest-error-rate': rankOf(baselines['highest-error-rate']!, (n) => nodeMatches(n, truth)),
        'microrank-ppr': rankOf(baselines['microrank-ppr']!, (n) => nodeMatches(n, truth)),
        'highest-error-rate (lenient)': rankOf(baselines['highest-error-rate']!, (n) => nodeMatches(n, truth, true)),
        'microrank-ppr (lenient)': rankOf(baselines['microrank-ppr']!, (n) => nodeMatches(n, truth, true)),
      },
      delayMs: started.length > 0 ? Math.max(0, Math.min(...started) - f.fault.startMs) : null,
    });
    if (!first || !sameRef(first.candidates[0] ?? first.rootCause, truth)) {
      const got = first ? first.candidates.slice(0, 3).map((c) => `${describeRef(c)} (${c.score})`).join(', ') : 'no incident';
      process.stdout.write(`  miss ${f.caseId} ${f.fault.type}: truth ${describeRef(truth)}; got ${got}${matched.length > 1 ? `; ${matched.length} incidents` : ''}\n`);
    }
  }
  return { outcomes, spurious: spurious.map((s) => incidents.get(s.id)!) };
}

const pct = (x: number) => x.toFixed(2);

function printTable(say: (line: string) => void, outcomes: readonly FaultOutcome[]): void {
  const header = ['fault type', 'n', 'FL AC@1', 'FL AC@3', 'FL Avg@5', 'ErrRate AC@1', 'ErrRate AC@3', 'ErrRate Avg@5', 'PPR AC@1', 'PPR AC@3', 'PPR Avg@5', '1 incident', 'delay p50 s', 'delay p95 s'];
  say(`| ${header.join(' | ')} |`);
  say(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  const row = (name: string, rows: readonly FaultOutcome[]) => {
    const s = summarize(rows, METHODS);
    const d = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(0));
    const m = (method: string) => [pct(s.ac[method]![0]!), pct(s.ac[method]![2]!), pct(s.avg5[method]!)];
    say(`| ${[name, String(s.faults), ...m('faultline'), ...m('highest-error-rate'), ...m('microrank-ppr'), pct(s.exactlyOneIncident), d(s.delayP50Ms), d(s.delayP95Ms)].join(' | ')} |`);
  };
  for (const type of CASE_TYPES) {
    const rows = outcomes.filter((o) => o.caseType === type);
    if (rows.length > 0) row(type, rows);
  }
  row('**all**', outcomes);
  say('');
  say('Baselines given the benefit of the doubt (either end of a faulty edge, or the caller of a faulty dependency, counts):');
  say('| fault type | ErrRate AC@1 | ErrRate Avg@5 | PPR AC@1 | PPR Avg@5 |');
  say('|---|---:|---:|---:|---:|');
  for (const type of [...CASE_TYPES, null]) {
    const rows = type === null ? outcomes : outcomes.filter((o) => o.caseType === type);
    if (rows.length === 0) continue;
    const s = summarize(rows, LENIENT);
    say(`| ${type ?? '**all**'} | ${LENIENT.flatMap((m) => [pct(s.ac[m]![0]!), pct(s.avg5[m]!)]).join(' | ')} |`);
  }
}

export async function runRcaEval(options: RcaEvalOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (!buildIfStale(say)) throw new Error('next build failed');
  // Event time ends a little before now, inside every retention window.
  const minute = 60_000;
  let sessions = buildPlan({ casesPerType: options.casesPerType, seed: options.seed, startMs: 0 });
  if (options.fleets) sessions = sessions.slice(0, options.fleets);
  const span = sessions.at(-1)!.endMs;
  const startMs = Math.floor((Date.now() - span - 30 * minute) / minute) * minute;
  sessions = buildPlan({ casesPerType: options.casesPerType, seed: options.seed, startMs });
  if (options.fleets) sessions = sessions.slice(0, options.fleets);
  const cases = sessions.reduce((n, s) => n + s.cases.length, 0);
  say(`RCA evaluation, seed ${options.seed}: ${sessions.length} fleets, ${cases} cases, ${((sessions.at(-1)!.endMs - startMs) / 3_600_000).toFixed(1)} h of event time`);

  const database = await startScratchDatabase({ label: 'eval-rca', database: 'faultline_eval' });
  let app: AppProcess | undefined;
  try {
    const { key } = await createApiKey({ actor: { kind: 'system', name: 'eval-rca' }, input: { name: 'eval-rca', scopes: ['ingest', 'read', 'admin'] } });
    app = await AppProcess.start({ databaseUrl: database.url, env: { DETECTION_ENABLED: 'false', NOTIFY_ENABLED: 'false', PROBER_ENABLED: 'false' } });
    const url = app.url;

    const sender = new Sender(url, key);
    const sendStarted = Date.now();
    for (const [i, session] of sessions.entries()) {
      const traffic = new FleetTraffic(session.topology, session.cases.flatMap((c) => c.faults), session.seed, i + 1, session.startMs);
      for (let t = session.startMs; t < session.endMs; t += CHUNK_MS) await sender.send(traffic.advance(Math.min(session.endMs, t + CHUNK_MS)));
      say(`  sent ${session.topology.name} (${session.topology.services.length} services, ${session.cases.length} cases)`);
    }
    await sender.flush();
    const sendSeconds = (Date.now() - sendStarted) / 1000;
    say(`Sent ${sender.sent.spans.toLocaleString('en')} spans, ${sender.sent.probes.toLocaleString('en')} probe results, ${sender.sent.breakerEvents} breaker events in ${sendSeconds.toFixed(0)} s (${Math.round(sender.sent.spans / sendSeconds).toLocaleString('en')} spans/s)`);
    // Calls to leaves nobody instruments wait out the pairing grace period before they count.
    while ((await countEdgeCandidates()) > 0) await sleep(1_000);

    const outcomes: FaultOutcome[] = [];
    const spurious: IncidentDto[] = [];
    const evaluations: EvaluateResultDto[] = [];
    const evalStarted = Date.now();
    for (const session of sessions) {
      const result = await getJson<EvaluateResultDto>(`${url}/api/admin/evaluate`, key, { method: 'POST', body: JSON.stringify({ from: iso(session.startMs), to: iso(session.endMs) }) });
      evaluations.push(result);
      const scored = await scoreSession(url, key, session, result);
      outcomes.push(...scored.outcomes);
      spurious.push(...scored.spurious);
      for (const s of scored.spurious) say(`  spurious incident in ${session.topology.name} at ${s.openedAt}: ${s.title}`);
      say(`  evaluated ${session.topology.name}: ${result.alerts.length} alerts, ${result.incidents.length} incidents`);
    }
    const evalSeconds = (Date.now() - evalStarted) / 1000;

    say('');
    printTable(say, outcomes);
    const overall = summarize(outcomes, METHODS);
    const healthy = sessions.reduce((ms, s) => ms + WARMUP_MS + s.cases.reduce((x, c) => x + (c.healthyUntilMs - Math.max(...c.faults.map((f) => f.endMs))), 0), 0);
    say('');
    say(`Spurious incidents: ${spurious.length} (healthy event time evaluated: ${(healthy / 3_600_000).toFixed(1)} h)`);
    say(`Faults with exactly one incident: ${(overall.exactlyOneIncident * 100).toFixed(1)}%; with none: ${overall.missed}`);
    say(`Evaluation (replay of detection and correlation): ${evalSeconds.toFixed(0)} s for ${((sessions.reduce((ms, s) => ms + s.endMs - s.startMs, 0)) / 3_600_000).toFixed(1)} h of event time`);
    const targets = [
      ['AC@1 ≥ 0.90', overall.ac.faultline![0]! >= 0.9],
      ['AC@3 ≥ 0.98', overall.ac.faultline![2]! >= 0.98],
      ['one incident per fault in ≥ 95%', overall.exactlyOneIncident >= 0.95],
      ['zero spurious incidents', spurious.length === 0],
    ] as const;
    for (const [name, met] of targets) say(`  ${met ? 'met' : 'NOT met'}: ${name}`);
    // Ahead of both baselines (Avg@5) per fault type; a tie is only possible where all are perfect.
    const versus = CASE_TYPES.map((type) => summarize(outcomes.filter((o) => o.caseType === type), METHODS)).filter((s) => s.faults > 0);
    const best = (s: (typeof versus)[number]) => Math.max(s.avg5['highest-error-rate']!, s.avg5['microrank-ppr']!);
    const ahead = versus.filter((s) => s.avg5.faultline! > best(s)).length;
    const tiedPerfect = versus.filter((s) => s.avg5.faultline! === 1 && best(s) === 1).length;
    const behind = versus.filter((s) => s.avg5.faultline! < best(s)).length;
    say(`  ahead of both baselines (Avg@5) on ${ahead} of ${versus.length} fault types; tied at a perfect 1.00 on ${tiedPerfect}; behind on ${behind}`);
    if (options.out) writeFileSync(options.out, JSON.stringify({ seed: options.seed, outcomes, spurious: spurious.map((s) => ({ id: s.id, openedAt: s.openedAt, title: s.title })), evaluations }, null, 2));
  } finally {
    await app?.stop();
    await database.stop();
  }
}
