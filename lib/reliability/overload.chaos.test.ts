// Overload: after measuring what the app sustains, offer ten times that for a minute (20 s in the
// short profile). The app must refuse the excess with 503 + Retry-After (never another error),
// keep its memory under a bound, keep answering the UI and /api/health/live, and take load at
// the sustained rate again within seconds of the flood stopping.
import { describe, expect, it } from 'vitest';
import { nearestRank } from '@/lib/bench/quantile';
import { chaosProfile, reportFigures } from './figures';
import { chaosAppPerFile } from './scenario';
import { ProbeProcess } from './probe-process';
import { RawSenders } from './raw-senders';

/** The documented bound (docs/reliability.md): queue cap + bodies of the requests admitted + Next. */
const RSS_BOUND_BYTES = 1.5 * 1024 ** 3;
const SPANS_PER_REQUEST = 500;

const profile = chaosProfile();
const chaos = chaosAppPerFile('overload');

describe('overload at 10x the sustainable rate', () => {
  it('sheds with 503 + Retry-After, bounded memory, a responsive UI, and recovers within seconds', async () => {
    // 1. What the app sustains here, now (the machine is shared: measured, not assumed).
    const baseline = new RawSenders(chaos.app.url, chaos.db.ingestKey, SPANS_PER_REQUEST, 1);
    const baselineFrom = Date.now();
    await baseline.closedLoop(4, 8);
    const perSecond = baseline.acceptedPerSecond(baselineFrom + 2_000, Date.now());
    const sustainable = nearestRank([...perSecond].sort((a, b) => a - b), 0.5) ?? 0;
    expect(sustainable).toBeGreaterThan(0);

    // 2. Ten times that, open loop over at most 256 connections (an exporter fleet, not a SYN
    // flood: thousands of simultaneous connections are a proxy's job, docs/reliability.md), while
    // a user loads pages and an orchestrator checks liveness from another process.
    const flood = new RawSenders(chaos.app.url, chaos.db.ingestKey, SPANS_PER_REQUEST, 2);
    let peakRss = 0;
    const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, chaos.app.rss())), 250);
    const probes = new ProbeProcess(chaos.app.url, ['/api/health/live', '/login']);
    const floodFrom = Date.now();
    const appCpuBefore = chaos.app.cpuSeconds();
    const clientCpuBefore = process.cpuUsage();
    await flood.openLoop(10 * sustainable, profile.overloadSeconds, 256);
    const floodTo = Date.now();
    const appCpu = chaos.app.cpuSeconds() - appCpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    probes.stop();
    clearInterval(rssSampler);

    // 3. Recovery: closed loop again; seconds until a whole second reaches 80% of the baseline.
    const after = new RawSenders(chaos.app.url, chaos.db.ingestKey, SPANS_PER_REQUEST, 3);
    const afterFrom = Date.now();
    await after.closedLoop(4, 10);
    const recovered = after.acceptedPerSecond(afterFrom, Date.now());
    const recoverySeconds = recovered.findIndex((v) => v >= 0.8 * sustainable) + 1;

    const outcomes = flood.outcomes;
    const byStatus = new Map<string, number>();
    for (const o of outcomes) byStatus.set(o.error ?? String(o.status), (byStatus.get(o.error ?? String(o.status)) ?? 0) + 1);
    const refused = outcomes.filter((o) => o.status === 503 || o.status === 429);
    const refusedWithoutRetryAfter = refused.filter((o) => !o.retryAfter).length;
    const unexpected = outcomes.filter((o) => o.status !== 200 && o.status !== 503 && o.status !== 429);
    const floodSeconds = (floodTo - floodFrom) / 1000;
    // Offered: what the schedule asked for (a request not sent because 256 were already waiting is
    // still demand); sent: what actually went on the wire.
    const offered = ((outcomes.length + flood.skipped) * SPANS_PER_REQUEST) / floodSeconds;
    const sent = (outcomes.length * SPANS_PER_REQUEST) / floodSeconds;
    const accepted = outcomes.filter((o) => o.status === 200).length * SPANS_PER_REQUEST;
    const live = probes.of('/api/health/live');
    const ui = probes.of('/login');
    const liveMs = live.map((p) => p.ms).sort((a, b) => a - b);
    const uiMs = ui.map((p) => p.ms).sort((a, b) => a - b);
    const refusalMs = refused.map((o) => o.ms).sort((a, b) => a - b);

    reportFigures('overload 10x', {
      sustainableSpansPerSec: sustainable,
      offeredSpansPerSec: offered,
      offeredRatio: offered / sustainable,
      sentRatio: sent / sustainable,
      acceptedSpansPerSecDuringFlood: accepted / floodSeconds,
      requests: outcomes.length,
      skippedAtClient: flood.skipped,
      statuses: [...byStatus].map(([s, n]) => `${s}:${n}`).join(','),
      refusedWithoutRetryAfter,
      refusalP50Ms: nearestRank(refusalMs, 0.5) ?? NaN,
      refusalP99Ms: nearestRank(refusalMs, 0.99) ?? NaN,
      peakRssMb: peakRss / 1024 ** 2,
      appCpuCoresDuringFlood: appCpu / ((floodTo - floodFrom) / 1000),
      senderCpuCoresDuringFlood: (clientCpu.user + clientCpu.system) / 1e6 / ((floodTo - floodFrom) / 1000),
      liveChecks: liveMs.length,
      liveMaxMs: liveMs.at(-1) ?? NaN,
      uiMaxMs: uiMs.at(-1) ?? NaN,
      recoverySeconds,
      afterFloodSpansPerSec: recovered.map((v) => Math.round(v / 1000) + 'k').join(' '),
    });
    expect(offered / sustainable).toBeGreaterThanOrEqual(9.5);
    expect(sent / sustainable).toBeGreaterThanOrEqual(7);
    expect(refused.length).toBeGreaterThan(0);
    expect(refusedWithoutRetryAfter).toBe(0);
    expect(unexpected).toEqual([]);
    expect(peakRss).toBeLessThan(RSS_BOUND_BYTES);
    expect(live.length).toBeGreaterThan(0);
    expect(live.filter((p) => p.status !== 200)).toEqual([]);
    expect(ui.filter((p) => p.status !== 200)).toEqual([]);
    expect(recoverySeconds).toBeGreaterThan(0);
    expect(recoverySeconds).toBeLessThanOrEqual(5);
  });
});
