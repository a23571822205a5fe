// Senders that push spans through the real OpenTelemetry OTLP/HTTP protobuf exporter (its own
// retries and back-off included) and keep, per export, whether the app acknowledged it: the
// acknowledged span ids are what must be stored, exactly once, whatever happened in between.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';

export interface LoadOptions {
  /** Base URL of the app (or of the replica to send to; a function to spread over several). */
  target: string | ((lane: number, sequence: number) => string);
  ingestKey: string;
  service: string;
  lanes: number;
  spansPerExport: number;
  /** Pace each lane to at most this many exports a second (unpaced when absent). */
  exportsPerSecondPerLane?: number;
  /** The exporter's own deadline per export, retries included. */
  timeoutMillis?: number;
  /** One span in this many fails (status ERROR, HTTP 500); default 50. */
  errorEvery?: number;
}

export interface LoadCounts {
  sent: number;
  acknowledged: number;
  failed: number;
  exports: number;
  failedExports: number;
}

/** Collects ended spans so they can be handed to an exporter in batches of our choosing. */
class CollectingProcessor implements SpanProcessor {
  spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export class OtlpLoad {
  readonly counts: LoadCounts = { sent: 0, acknowledged: 0, failed: 0, exports: 0, failedExports: 0 };
  /** `traceId:spanId` (hex) of every span in an export the app answered with success. */
  readonly acknowledgedIds: string[] = [];
  /** Time of each acknowledgement and its span count, for throughput over time. */
  readonly acknowledgements: { at: number; spans: number }[] = [];
  /** Exports sent and not yet settled (the moment to pull the plug). */
  inFlight = 0;
  private stopped = false;
  private lanes: Promise<void>[] = [];
  private readonly processor = new CollectingProcessor();
  private readonly tracer;

  constructor(private readonly options: LoadOptions) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.service, 'service.instance.id': `${options.service}-chaos` }),
      spanProcessors: [this.processor],
    });
    this.tracer = provider.getTracer('faultline-chaos', '1.0.0');
  }

  start(): void {
    this.lanes = Array.from({ length: this.options.lanes }, (_, lane) => this.runLane(lane));
  }

  /** Stops sending and waits for exports in flight to settle (acknowledged or failed). */
  async stop(): Promise<LoadCounts> {
    this.stopped = true;
    await Promise.all(this.lanes);
    return this.counts;
  }

  /** Spans acknowledged per second over the last `windowMs`. */
  recentRate(windowMs: number): number {
    const since = Date.now() - windowMs;
    let spans = 0;
    for (let i = this.acknowledgements.length - 1; i >= 0 && this.acknowledgements[i]!.at >= since; i--) spans += this.acknowledgements[i]!.spans;
    return (spans * 1000) / windowMs;
  }

  private makeSpans(n: number): ReadableSpan[] {
    for (let i = 0; i < n; i++) {
      const failed = i % (this.options.errorEvery ?? 50) === 0;
      const span = this.tracer.startSpan(failed ? 'POST /orders' : 'GET /orders/{id}', {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': failed ? 'POST' : 'GET', 'http.route': '/orders', 'http.response.status_code': failed ? 500 : 200 },
      });
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: 'chaos' });
      span.end();
    }
    const spans = this.processor.spans;
    this.processor.spans = [];
    return spans;
  }

  private async runLane(lane: number): Promise<void> {
    const exporters = new Map<string, OTLPTraceExporter>();
    const exporterFor = (url: string) => {
      let exporter = exporters.get(url);
      if (!exporter) {
        exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, headers: { Authorization: `Bearer ${this.options.ingestKey}` }, timeoutMillis: this.options.timeoutMillis ?? 10_000 });
        exporters.set(url, exporter);
      }
      return exporter;
    };
    const pace = this.options.exportsPerSecondPerLane ? 1000 / this.options.exportsPerSecondPerLane : 0;
    for (let sequence = 0; !this.stopped; sequence++) {
      const started = Date.now();
      const target = typeof this.options.target === 'string' ? this.options.target : this.options.target(lane, sequence);
      const spans = this.makeSpans(this.options.spansPerExport);
      this.counts.sent += spans.length;
      this.counts.exports++;
      this.inFlight++;
      const result = await new Promise<ExportResult>((resolve) => exporterFor(target).export(spans, resolve));
      this.inFlight--;
      if (result.code === ExportResultCode.SUCCESS) {
        this.counts.acknowledged += spans.length;
        for (const span of spans) this.acknowledgedIds.push(`${span.spanContext().traceId}:${span.spanContext().spanId}`);
        this.acknowledgements.push({ at: Date.now(), spans: spans.length });
      } else {
        this.counts.failed += spans.length;
        this.counts.failedExports++;
        // The exporter already retried within its deadline; a real batch processor drops and moves on.
        await new Promise((r) => setTimeout(r, 200));
      }
      const wait = pace - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all([...exporters.values()].map((e) => e.shutdown()));
  }
}
