// npm run bench:graph: loads a day of spans for a large fleet through the ingest write path
// (COPY + rollups, without HTTP and decoding), then times the map and service-page APIs.
import { pool } from '@/lib/db/client';
import { startScratchDatabase } from '@/lib/db/scratch-database';
import { prepareSpans, writeSpanBatch } from '@/lib/db/spans';
import { getGraph } from '@/lib/graph/graph';
import { getServiceMetrics } from '@/lib/graph/service-metrics';
import type { SpanResource, SpanRow } from '@/lib/otlp/span-row';
import { pairEdgesOnce } from '@/lib/rollup/pairing';

export interface GraphBenchOptions {
  spans: number;
  services: number;
  edges: number;
  hours: number;
  repeats: number;
}

const MINUTE_MS = 60_000;

/** A layered call graph: each edge goes from a service to one in a later layer, so it is acyclic like a real fleet. */
export function benchTopology(services: number, edges: number, random: () => number): Array<[number, number]> {
  const layers = 6;
  const layerOf = (i: number) => Math.floor((i * layers) / services);
  const pairs = new Set<string>();
  const out: Array<[number, number]> = [];
  for (let attempts = 0; out.length < edges && attempts < edges * 50; attempts++) {
    const a = Math.floor(random() * services);
    const b = Math.floor(random() * services);
    if (layerOf(b) <= layerOf(a)) continue;
    const key = `${a}>${b}`;
    if (pairs.has(key)) continue;
    pairs.add(key);
    out.push([a, b]);
  }
  return out;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runGraphBench(options: GraphBenchOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const database = await startScratchDatabase({ label: 'bench-graph', database: 'faultline_bench_graph', ephemeral: true });
  try {
    const random = seeded(42);
    const names = Array.from({ length: options.services }, (_, i) => `svc-${hex(i, 3)}`);
    const resources: SpanResource[] = names.map((serviceName, i) => ({ serviceName, attributes: { 'service.name': serviceName, 'service.instance.id': `${serviceName}-${i % 3}` }, droppedAttributesCount: 0 }));
    const topology = benchTopology(options.services, options.edges, random);
    const calls = Math.floor(options.spans / 2);
    const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const start = end - options.hours * 3_600_000;
    const stepNs = BigInt(Math.floor(((end - start) * 1_000_000) / calls));
    say(`Loading ${calls * 2} spans (${calls} calls over ${topology.length} edges between ${options.services} services, ${options.hours} h)…`);

    // One call = the caller's CLIENT span and the callee's SERVER span, written together as a
    // Collector would forward them: the live rollup path pairs them in the batch.
    const BATCH_CALLS = 5_000;
    let nextCall = 0;
    const loadStarted = performance.now();
    const writer = async () => {
      while (nextCall < calls) {
        const first = nextCall;
        nextCall = Math.min(calls, nextCall + BATCH_CALLS);
        const spans: SpanRow[] = [];
        for (let c = first; c < nextCall; c++) {
          const [a, b] = topology[c % topology.length]!;
          const startNs = BigInt(start) * 1_000_000n + BigInt(c) * stepNs;
          const durationNs = BigInt(Math.floor(1_000_000 * (2 + 40 * random() ** 3)));
          const isError = random() < 0.01;
          const traceId = hex(c + 1, 32);
          const base = { traceId, traceState: null, flags: 1, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0, scopeName: 'bench', scopeVersion: '1' };
          spans.push(
            { ...base, spanId: hex(2 * c + 1, 16), parentSpanId: null, name: `GET /${names[b]}`, kind: 3, startTimeUnixNano: startNs, endTimeUnixNano: startNs + durationNs + 500_000n, statusCode: isError ? 2 : 0, statusMessage: isError ? 'upstream 503' : null, attributes: { 'http.request.method': 'GET', 'server.address': `${names[b]}.svc` }, resource: resources[a]! },
            { ...base, spanId: hex(2 * c + 2, 16), parentSpanId: hex(2 * c + 1, 16), name: 'GET /', kind: 2, startTimeUnixNano: startNs + 200_000n, endTimeUnixNano: startNs + durationNs, statusCode: isError ? 2 : 0, statusMessage: null, attributes: { 'http.request.method': 'GET', 'http.response.status_code': isError ? 503 : 200 }, resource: resources[b]! },
          );
        }
        await writeSpanBatch([prepareSpans(spans)]);
        if (first % 500_000 < BATCH_CALLS) say(`  ${((first * 2) / 1e6).toFixed(1)}M spans…`);
      }
    };
    await Promise.all([writer(), writer()]);
    await pairEdgesOnce(0);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const { rows } = await pool().query<{ services: string; edges: string }>(
      'SELECT (SELECT count(*) FROM telemetry.service_minutes) AS services, (SELECT count(*) FROM telemetry.edge_minutes) AS edges',
    );
    say(`Loaded in ${loadSeconds.toFixed(0)} s (${((calls * 2) / loadSeconds).toFixed(0)} spans/s); rollups: ${rows[0]!.services} service minutes, ${rows[0]!.edges} edge minutes`);
    await pool().query('VACUUM ANALYZE telemetry.service_minutes, telemetry.edge_minutes');

    // What the API does per request, minus HTTP and auth: the queries, the assembly and the JSON.
    const time = async (label: string, run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < options.repeats + 2; i++) {
        const t = performance.now();
        JSON.stringify(await run());
        if (i >= 2) samples.push(performance.now() - t); // the first two warm caches and the JIT
      }
      say(`${label.padEnd(34)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(samples, 95).toFixed(1).padStart(7)} ms`);
      return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
    };
    const iso = (ms: number) => new Date(ms).toISOString();
    const busiest = names[topology[0]![1]]!;
    say('');
    const results = {
      graph1h: await time('GET /api/graph (1 h)', () => getGraph({ from: iso(end - 3_600_000), to: iso(end) })),
      graph24h: await time('GET /api/graph (24 h)', () => getGraph({ from: iso(start), to: iso(end) })),
      service1h: await time('GET /api/services/…/metrics (1 h)', () => getServiceMetrics(busiest, { from: iso(end - 3_600_000), to: iso(end) })),
      service24h: await time('GET /api/services/…/metrics (24 h)', () => getServiceMetrics(busiest, { from: iso(start), to: iso(end) })),
    };
    say(JSON.stringify({ spans: calls * 2, services: options.services, edges: topology.length, loadSeconds, ...results }));
  } finally {
    await database.stop();
  }
}
