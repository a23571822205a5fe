// npm run bench:detect — how fast Faultline notices the demo fleet's faults, and that it stays
// quiet while nothing is wrong. The production app (live detector on, default rules) runs on a
// throwaway cluster; the real demo fleet exports to it under steady load. First a healthy run
// (every alert in it is a false alarm), then each fault several times: the delay is from
// switching the fault on to the first alert Faultline records (wall clock, alerts.created_at).
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiKey } from '@/lib/auth/api-keys';
import { openAlertRows } from '@/lib/db/alerts';
import { prisma } from '@/lib/db/client';
import { startScratchDatabase } from '@/lib/db/scratch-database';
import type { FaultInput } from '@/lib/schemas/chaos';
import { buildIfStale } from '@/lib/server/launcher';
import { Fleet } from '@/lib/sim/fleet';
import { startLoad } from '@/lib/sim/load';
import { AppProcess } from './app';
import { nearestRank } from './quantile';

export interface DetectBenchOptions {
  healthyMinutes: number;
  repeats: number;
  rps: number;
}

interface FaultCase {
  name: string;
  /** error and partition faults: 15 s p95 target; latency: 30 s. */
  targetMs: number;
  fault: FaultInput;
}

const CASES: readonly FaultCase[] = [
  { name: 'error-burst payment 50%', targetMs: 15_000, fault: { kind: 'error-burst', target: 'payment', rate: 0.5 } },
  { name: 'partition checkout→payment', targetMs: 15_000, fault: { kind: 'partition', target: 'checkout:payment' } },
  { name: 'latency inventory +2.5 s', targetMs: 30_000, fault: { kind: 'latency', target: 'inventory', ms: 2500 } },
];

/** The first alert recorded after `since`, polled until `timeoutMs`. */
async function firstAlertAfter(since: Date, timeoutMs: number): Promise<{ createdAt: Date; summary: string } | null> {
  const deadline = since.getTime() + timeoutMs;
  while (Date.now() < deadline) {
    const alert = await prisma().alert.findFirst({ where: { createdAt: { gt: since }, replayed: false }, orderBy: { createdAt: 'asc' } });
    if (alert) return alert;
    await sleep(250);
  }
  return null;
}

/**
 * Waits for the previous fault's alerts to clear. Burn-rate alerts look back five minutes and
 * outlive the rest by design; they cannot hide a new fault (its own error-rate alert fires anew).
 */
async function waitForQuiet(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await openAlertRows()).every((a) => a.rule === 'burn_rate')) return true;
    await sleep(1_000);
  }
  return false;
}

export async function runDetectBench(options: DetectBenchOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (!buildIfStale(say)) throw new Error('next build failed');
  const database = await startScratchDatabase({ label: 'bench-detect', database: 'faultline_bench' });
  let app: AppProcess | undefined;
  let fleet: Fleet | undefined;
  let load: ReturnType<typeof startLoad> | undefined;
  try {
    const { key } = await createApiKey({ actor: { kind: 'system', name: 'bench' }, input: { name: 'fleet', scopes: ['ingest'] } });
    app = await AppProcess.start({ databaseUrl: database.url, env: { PROBER_ENABLED: 'false' } });
    fleet = await Fleet.start({ faultlineUrl: app.url, ingestKey: key, startTimeoutMs: 90_000 });
    load = startLoad({ url: fleet.frontendUrl, rps: options.rps });
    say(`Fleet of ${fleet.instances.length} processes exporting to ${app.url}; load ${options.rps} requests/s`);

    // Warm-up is part of the healthy run: a fresh fleet (cold caches, first connections) must not page either.
    const healthyFrom = new Date();
    say(`Healthy run: ${options.healthyMinutes} min…`);
    await sleep(options.healthyMinutes * 60_000);
    const falseAlarms = await prisma().alert.findMany({ where: { createdAt: { gte: healthyFrom } }, orderBy: { createdAt: 'asc' } });
    say(`  alerts during the healthy run: ${falseAlarms.length}`);
    for (const a of falseAlarms) say(`    ${a.createdAt.toISOString()} ${a.rule} ${a.summary}`);

    const delays = new Map<string, number[]>();
    for (let round = 0; round < options.repeats; round++) {
      for (const c of CASES) {
        if (!(await waitForQuiet(240_000))) say('  (previous alerts still open after 4 min; measuring anyway)');
        await sleep(5_000);
        const at = new Date();
        await fleet.apply(c.fault);
        const alert = await firstAlertAfter(at, 90_000);
        const delay = alert ? alert.createdAt.getTime() - at.getTime() : Infinity;
        await fleet.revert(c.fault);
        delays.set(c.name, [...(delays.get(c.name) ?? []), delay]);
        say(`  ${c.name} #${round + 1}: ${alert ? `${(delay / 1000).toFixed(1)} s — ${alert.summary}` : 'no alert within 90 s'}`);
      }
    }

    say('');
    say(`${'fault'.padEnd(30)} ${'n'.padStart(3)} ${'median s'.padStart(9)} ${'p95 s'.padStart(7)} ${'max s'.padStart(7)} ${'target'.padStart(7)}  met`);
    const summary: Record<string, { n: number; medianMs: number; p95Ms: number; maxMs: number; targetMs: number; met: boolean }> = {};
    for (const c of CASES) {
      const d = [...(delays.get(c.name) ?? [])].sort((a, b) => a - b);
      const p95 = nearestRank(d, 0.95) ?? NaN;
      const row = { n: d.length, medianMs: nearestRank(d, 0.5) ?? NaN, p95Ms: p95, maxMs: d.at(-1) ?? NaN, targetMs: c.targetMs, met: p95 <= c.targetMs };
      summary[c.name] = row;
      const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '—').padStart(7);
      say(`${c.name.padEnd(30)} ${String(row.n).padStart(3)} ${s(row.medianMs).padStart(9)} ${s(row.p95Ms)} ${s(row.maxMs)} ${s(c.targetMs)}  ${row.met ? 'yes' : 'NO'}`);
    }
    say(`healthy run: ${falseAlarms.length} alerts in ${options.healthyMinutes} min (target 0) ${falseAlarms.length === 0 ? 'met' : 'NOT met'}`);
    say(JSON.stringify({ healthyMinutes: options.healthyMinutes, falseAlarms: falseAlarms.length, faults: summary }));
  } finally {
    await load?.stop();
    await fleet?.stop();
    await app?.stop();
    await database.stop();
  }
}
