// No acknowledged span is lost: the real OTLP exporter pushes spans while the app is killed with
// SIGKILL and restarted, and separately while PostgreSQL crashes and restarts. Afterwards every
// span whose export got a 2xx is stored, exactly once (an export retried after a lost answer is
// deduplicated on its trace and span id). The exporter's own retries usually carry every span
// through the outage; what it gives up on is counted as not acknowledged and may or may not be stored.
import { describe, expect, it } from 'vitest';
import { chaosProfile, reportFigures } from './figures';
import { sleep, waitUntil, chaosAppPerFile } from './scenario';
import { OtlpLoad } from './otlp-load';
import { checkStoredExactlyOnce } from '@/lib/db/testing/stored-spans';



const profile = chaosProfile();
const chaos = chaosAppPerFile('no-loss');

describe('no acknowledged span is lost', () => {
  it('when the app is killed with SIGKILL mid-export and restarted', async () => {
    const load = new OtlpLoad({ target: chaos.app.url, ingestKey: chaos.db.ingestKey, service: 'chaos-sigkill', lanes: 4, spansPerExport: 250, exportsPerSecondPerLane: 8 });
    load.start();
    const restarts: number[] = [];
    let killedMidExport = 0;
    for (let cycle = 0; cycle < profile.killCycles; cycle++) {
      await sleep(2_000 + cycle * 317);
      // Pull the plug while exports are in flight: some are half-read, some mid-transaction.
      await waitUntil(async () => load.inFlight > 0, 5_000);
      killedMidExport += load.inFlight;
      await chaos.app.kill('SIGKILL');
      const started = Date.now();
      await chaos.app.start();
      restarts.push(Date.now() - started);
    }
    await sleep(3_000);
    const counts = await load.stop();
    const stored = await checkStoredExactlyOnce(chaos.db.url, 'chaos-sigkill', load.acknowledgedIds);
    reportFigures('SIGKILL app under load', {
      kills: profile.killCycles,
      exportsInFlightAtKills: killedMidExport,
      sent: counts.sent,
      acknowledged: counts.acknowledged,
      notAcknowledged: counts.failed,
      stored: stored.storedSpans,
      storedNotAcknowledged: stored.storedSpans - (stored.acknowledged - stored.missing),
      missing: stored.missing,
      duplicates: stored.duplicates,
      medianRestartMs: restarts.sort((a, b) => a - b)[Math.floor(restarts.length / 2)]!,
    });
    expect(counts.acknowledged).toBeGreaterThan(0);
    expect(killedMidExport).toBeGreaterThan(0);
    expect(stored.missing).toBe(0);
    expect(stored.duplicates).toBe(0);
  });

  it('when PostgreSQL crashes (immediate stop) and restarts under load', async () => {
    const load = new OtlpLoad({ target: chaos.app.url, ingestKey: chaos.db.ingestKey, service: 'chaos-pg-restart', lanes: 4, spansPerExport: 250, exportsPerSecondPerLane: 8 });
    load.start();
    const third = (profile.databaseRestartLoadSeconds * 1000) / 3;
    await sleep(third);
    const ackedBefore = load.counts.acknowledged;
    await chaos.db.cluster.crash();
    const downAt = Date.now();
    await sleep(3_000);
    const readyWhileDown = await fetch(`${chaos.app.url}/api/health/ready`).then((r) => r.status);
    const liveWhileDown = await fetch(`${chaos.app.url}/api/health/live`).then((r) => r.status);
    await chaos.db.cluster.restart();
    const restartedAt = Date.now();
    const readyAfterMs = await waitUntil(async () => (await fetch(`${chaos.app.url}/api/health/ready`)).ok, 60_000);
    const ackedAtRestart = load.counts.acknowledged;
    const ingestAfterMs = await waitUntil(async () => load.counts.acknowledged > ackedAtRestart, 60_000);
    await sleep(third);
    const counts = await load.stop();
    const stored = await checkStoredExactlyOnce(chaos.db.url, 'chaos-pg-restart', load.acknowledgedIds);
    reportFigures('PostgreSQL crash + restart under load', {
      downSeconds: (restartedAt - downAt) / 1000,
      sent: counts.sent,
      acknowledged: counts.acknowledged,
      notAcknowledged: counts.failed,
      stored: stored.storedSpans,
      missing: stored.missing,
      duplicates: stored.duplicates,
      readyWhileDown,
      liveWhileDown,
      readyAfterRestartMs: readyAfterMs,
      ingestingAgainAfterMs: ingestAfterMs,
    });
    expect(ackedBefore).toBeGreaterThan(0);
    expect(readyWhileDown).toBe(503);
    expect(liveWhileDown).toBe(200);
    expect(stored.missing).toBe(0);
    expect(stored.duplicates).toBe(0);
  });
});
