// Bad input over real HTTP: the seeded fuzz corpus (lib/fuzz) and every hand-written hostile case,
// sent to the production build's ingest endpoints (100,000 generated cases in the full profile).
// Every answer must be 200, 400, 413 or 415 with a message naming the problem; the process must
// survive it all with bounded memory and still take a valid export afterwards.
import { describe, expect, it } from 'vitest';
import { ingestFuzzCases, nastyIngestCases, type FuzzCase } from '@/lib/fuzz/ingest-corpus';
import { runIngestFuzz, type FuzzResponse } from '@/lib/fuzz/run-ingest-fuzz';
import { chaosProfile, reportFigures } from './figures';
import { chaosAppPerFile } from './scenario';
import { OtlpLoad } from './otlp-load';

const SEED = 20261123;
const profile = chaosProfile();
const chaos = chaosAppPerFile('fuzz', { DETECTION_ENABLED: 'false' });

/**
 * Cases that lie in Content-Length cannot be sent through fetch (it frames the body itself); the
 * in-process suite (lib/fuzz/ingest-fuzz.int.test.ts) covers them.
 */
function* overHttp(cases: Iterable<FuzzCase>, skipped: { n: number }): Generator<FuzzCase> {
  for (const c of cases) {
    if (c.contentLength !== undefined) skipped.n++;
    else yield c;
  }
}

async function send(c: FuzzCase): Promise<FuzzResponse> {
  const headers: Record<string, string> = { Authorization: `Bearer ${chaos.db.ingestKey}` };
  if (c.contentType !== null) headers['Content-Type'] = c.contentType;
  if (c.contentEncoding) headers['Content-Encoding'] = c.contentEncoding;
  const response = await fetch(`${chaos.app.url}${c.path}`, { method: 'POST', headers, body: c.body as BodyInit, signal: AbortSignal.timeout(60_000) });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, text: new TextDecoder().decode(body), body, headers: response.headers };
}

describe('fuzzing the ingest endpoints over HTTP', () => {
  it('never answers 500 or crashes, whatever the bytes', async () => {
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, chaos.app.rss())), 500);
    const skipped = { n: 0 };
    const pid = chaos.app.pid;
    const nasty = await runIngestFuzz({ send, cases: overHttp(nastyIngestCases(), skipped), concurrency: 4 });
    const generated = await runIngestFuzz({ send, cases: overHttp(ingestFuzzCases(SEED, profile.fuzzCases), skipped), concurrency: 8 });
    clearInterval(sampler);

    // Still alive, the same process, and still taking valid spans.
    const after = new OtlpLoad({ target: chaos.app.url, ingestKey: chaos.db.ingestKey, service: 'chaos-after-fuzz', lanes: 1, spansPerExport: 100 });
    after.start();
    await new Promise((r) => setTimeout(r, 1_500));
    const counts = await after.stop();

    const statuses = (s: Record<number, number>) =>
      Object.entries(s)
        .map(([k, v]) => `${k}:${v}`)
        .join(',');
    reportFigures('fuzz over HTTP', {
      seed: SEED,
      generatedCases: generated.cases,
      nastyCases: nasty.cases,
      skippedLyingContentLength: skipped.n,
      generatedStatuses: statuses(generated.byStatus),
      nastyStatuses: statuses(nasty.byStatus),
      violations: generated.violationCount + nasty.violationCount,
      unavailable503: generated.unavailable.count + nasty.unavailable.count,
      casesPerSecond: generated.cases / (generated.durationMs / 1000),
      slowestCaseMs: Math.max(generated.slowest?.ms ?? 0, nasty.slowest?.ms ?? 0),
      peakRssMb: peakRss / 1024 ** 2,
    });
    expect(nasty.violations).toEqual([]);
    expect(generated.violations).toEqual([]);
    expect(generated.cases).toBeGreaterThanOrEqual(profile.fuzzCases * 0.9);
    expect(chaos.app.pid).toBe(pid);
    expect(counts.acknowledged).toBeGreaterThan(0);
    expect(counts.failed).toBe(0);
  });
});
