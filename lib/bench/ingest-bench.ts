// npm run bench:ingest — OTLP ingest throughput, latency and memory against a throwaway database,
// compared in the same run with the raw COPY ceiling of the same table.
import { SpanKind, SpanStatusCode, context, trace as traceApi } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createApiKey } from '@/lib/auth/api-keys';
import { startScratchDatabase } from '@/lib/db/scratch-database';
import { copyEncodedSpans, dayStart, prepareSpans, storeSpanResources } from '@/lib/db/spans';
import { decodeTracesProtobuf } from '@/lib/otlp/decode-protobuf';
import { buildIfStale } from '@/lib/server/launcher';
import { AppProcess, rssOf } from './app';

export interface IngestBenchOptions {
  seconds: number;
  senders: number;
  spansPerBatch: number;
  ceilingSpans: number;
}

const SERVICES = ['web-frontend', 'api-gateway', 'checkout', 'cart', 'payment', 'inventory', 'shipping', 'email'];
const SPANS_PER_TRACE = 10;

/** One realistic OTLP protobuf batch from the real SDK and serializer: several services, 10–20 attributes a span. */
export function templateBatch(spansPerBatch: number): { bytes: Buffer; traceIds: string[] } {
  const memory = new InMemorySpanExporter();
  const tracers = SERVICES.map((service, i) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': `1.${i}.0`, 'service.instance.id': `${service}-7f9c${i}`, 'host.name': `node-${i % 3}`, 'deployment.environment.name': 'bench' }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    }).getTracer('bench', '1.0.0'),
  );
  const traceIds: string[] = [];
  for (let t = 0; t * SPANS_PER_TRACE < spansPerBatch; t++) {
    const root = tracers[1]!.startSpan('GET /api/orders/{id}', {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'http.route': '/api/orders/{id}', 'url.path': `/api/orders/${t}`, 'http.response.status_code': 200, 'server.address': 'api.shop.local', 'server.port': 443, 'user_agent.original': 'Mozilla/5.0 (bench)', 'client.address': '10.0.0.7', 'network.protocol.version': '1.1', 'url.scheme': 'https' },
    });
    traceIds.push(root.spanContext().traceId);
    let parent = root;
    for (let s = 1; s < SPANS_PER_TRACE; s++) {
      const service = tracers[(s % (SERVICES.length - 1)) + 1]!;
      const isClient = s % 2 === 1;
      const span = service.startSpan(
        isClient ? `POST ${SERVICES[(s + 1) % SERVICES.length]}` : `handle ${s}`,
        {
          kind: isClient ? SpanKind.CLIENT : SpanKind.SERVER,
          attributes: {
            'http.request.method': 'POST', 'http.response.status_code': s === 7 ? 503 : 200, 'server.address': `${SERVICES[(s + 1) % SERVICES.length]}.svc`, 'server.port': 8080,
            'url.full': `http://${SERVICES[(s + 1) % SERVICES.length]}.svc:8080/v1/op/${s}`, 'peer.service': SERVICES[(s + 1) % SERVICES.length]!, 'http.request.resend_count': s === 7 ? 2 : 0,
            'network.peer.address': `10.1.${s}.${t % 250}`, 'app.order.id': `ord-${t}-${s}`, 'app.items': s * 3, 'app.amount': s * 12.5, 'app.priority': s % 3 === 0,
            'thread.name': 'main', 'code.function.name': `handler${s}`, 'code.file.path': `/srv/app/handlers/h${s}.ts`,
          },
        },
        traceApi.setSpan(context.active(), parent),
      );
      if (s === 7) {
        span.recordException(new Error('upstream returned 503'));
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 503' });
      }
      span.end();
      if (!isClient) parent = span;
    }
    root.end();
  }
  const spans: ReadableSpan[] = memory.getFinishedSpans().slice(0, spansPerBatch);
  return { bytes: Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), traceIds };
}

/** Offsets of every occurrence of each trace id, so sends can make ids unique by rewriting bytes in place. */
export function traceIdOffsets(bytes: Buffer, traceIds: string[]): number[] {
  const offsets: number[] = [];
  for (const id of traceIds) {
    const needle = Buffer.from(id, 'hex');
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) offsets.push(at);
  }
  return offsets;
}

export function uniqueBatch(template: Buffer, offsets: number[], sender: number, sequence: number): Buffer {
  const copy = Buffer.from(template);
  for (const at of offsets) {
    copy.writeUInt32BE(sequence, at);
    copy.writeUInt16BE(sender, at + 4);
  }
  return copy;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}


interface PhaseResult {
  seconds: number;
  acceptedSpans: number;
  spansPerSecond: number;
  requests: number;
  refused: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
}

async function runPhase(opts: {
  url: string;
  key: string;
  template: Buffer;
  offsets: number[];
  spansPerBatch: number;
  seconds: number;
  senders: number;
  senderBase: number;
  serverPid: number;
  /** Open loop: batches per second across all senders; closed loop (as fast as answered) when absent. */
  batchesPerSecond?: number;
}): Promise<PhaseResult> {
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(opts.serverPid))), 100);
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const interval = opts.batchesPerSecond ? (1000 * opts.senders) / opts.batchesPerSecond : 0;

  const sender = async (id: number) => {
    let sequence = 0;
    let next = performance.now() + (interval * id) / opts.senders;
    while (performance.now() < deadline) {
      if (interval) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += interval;
        if (performance.now() >= deadline) break;
      }
      const body = uniqueBatch(opts.template, opts.offsets, opts.senderBase + id, sequence++);
      const t0 = performance.now();
      const response = await fetch(`${opts.url}/v1/traces`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { 'Content-Type': 'application/x-protobuf', Authorization: `Bearer ${opts.key}` },
      }).catch(() => null);
      const elapsed = performance.now() - t0;
      if (response?.status === 200) {
        await response.arrayBuffer();
        latencies.push(elapsed);
        accepted += opts.spansPerBatch;
      } else {
        await response?.arrayBuffer();
        refused++;
        // Honour the server's back-off a little, as an exporter would, without idling the run.
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.senders }, (_, i) => sender(i)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    acceptedSpans: accepted,
    spansPerSecond: accepted / seconds,
    requests: latencies.length + refused,
    refused,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssMb: peakRss / 1024 / 1024,
  };
}

/** The raw COPY ceiling: the same rows, encoded ahead of time, streamed into the same table by 2 connections. */
async function measureCopyCeiling(template: Buffer, offsets: number[], totalSpans: number, spansPerBatch: number): Promise<number> {
  const batches: string[] = [];
  let days = new Set<number>();
  let resourcesStored = false;
  for (let i = 0; batches.length * spansPerBatch < totalSpans; i++) {
    const decoded = decodeTracesProtobuf(uniqueBatch(template, offsets, 60_000, i));
    if (!resourcesStored) {
      await storeSpanResources(decoded.spans);
      days = new Set(decoded.spans.map((s) => dayStart(Number(s.startTimeUnixNano / 1_000_000n))));
      resourcesStored = true;
    }
    batches.push(prepareSpans(decoded.spans).copy);
  }
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await copyEncodedSpans(batches[next++]!, days);
  };
  await Promise.all([worker(), worker()]);
  return (batches.length * spansPerBatch) / ((performance.now() - started) / 1000);
}

export async function runIngestBench(options: IngestBenchOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (!buildIfStale(say)) throw new Error('next build failed');
  // A durable cluster (fsync on), as production would run: the figures must not flatter.
  const database = await startScratchDatabase({ label: 'bench', database: 'faultline_bench' });
  let app: AppProcess | undefined;
  try {
    const { key } = await createApiKey({ actor: { kind: 'system', name: 'bench' }, input: { name: 'bench', scopes: ['ingest'] } });

    // FAULTLINE_BENCH_PROFILE=<dir> writes a V8 CPU profile of the app to <dir> for analysis.
    const profile = process.env.FAULTLINE_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FAULTLINE_BENCH_PROFILE}`] : [];
    app = await AppProcess.start({ databaseUrl: database.url, nodeFlags: profile });
    const url = app.url;

    const { bytes: template, traceIds } = templateBatch(options.spansPerBatch);
    const offsets = traceIdOffsets(template, traceIds);
    say(`Batch: ${options.spansPerBatch} spans, ${SERVICES.length} services, ${template.length} bytes of OTLP protobuf`);
    const base = { url, key, template, offsets, spansPerBatch: options.spansPerBatch, serverPid: app.pid! };

    await runPhase({ ...base, seconds: 3, senders: options.senders, senderBase: 0 });
    const max = await runPhase({ ...base, seconds: options.seconds, senders: options.senders, senderBase: 100 });
    const target = 0.8 * max.spansPerSecond;
    const paced = await runPhase({ ...base, seconds: options.seconds, senders: options.senders, senderBase: 200, batchesPerSecond: target / options.spansPerBatch });
    const overload = await runPhase({ ...base, seconds: Math.min(options.seconds, 10), senders: options.senders * 4, senderBase: 300 });
    await app.stop();
    app = undefined;
    const ceiling = await measureCopyCeiling(template, offsets, options.ceilingSpans, options.spansPerBatch);

    const row = (name: string, r: PhaseResult) =>
      `${name.padEnd(26)} ${r.spansPerSecond.toFixed(0).padStart(9)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)} ${String(r.refused).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(8)}`;
    say('');
    say(`${'phase'.padEnd(26)} ${'spans/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'refused'.padStart(8)} ${'RSS MB'.padStart(8)}`);
    say(row(`max (${options.senders} senders)`, max));
    say(row(`80% of max (paced)`, paced));
    say(row(`overload (${options.senders * 4} senders)`, overload));
    say('');
    say(`raw COPY ceiling (2 connections): ${ceiling.toFixed(0)} spans/s`);
    say(`ingest / ceiling: ${(max.spansPerSecond / ceiling).toFixed(2)}`);
    say(JSON.stringify({ max, paced, overload, ceilingSpansPerSecond: ceiling, ratio: max.spansPerSecond / ceiling }));
  } finally {
    await app?.kill('SIGKILL');
    await database.stop();
  }
}
