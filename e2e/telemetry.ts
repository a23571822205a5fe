// Sending telemetry the way an instrumented service does: an ingest key made through the API, and
// tracer providers on the real OpenTelemetry SDK exporting OTLP/protobuf to the app under test.
import { randomBytes } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect, type Page } from '@playwright/test';

/** An ingest key made the way an admin would, through the API with the signed-in session. */
export async function createIngestKey(page: Page, baseURL: string, label: string): Promise<string> {
  const response = await page.request.post('/api/api-keys', {
    data: { name: `e2e-${label}-${randomBytes(4).toString('hex')}`, scopes: ['ingest'] },
    // Cookie-authenticated writes must prove they come from the app's own origin.
    headers: { Origin: baseURL },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

/**
 * A provider for one service exporting to the app. The SDK swallows export failures; they are
 * pushed to `failures`, so a rejected export becomes a clear test failure.
 */
export function exportingProvider(opts: {
  baseURL: string;
  key: string;
  resource: Record<string, string>;
  failures: string[];
  /** Export each span as it ends instead of in batches. */
  immediate?: boolean;
}): BasicTracerProvider {
  const exporter = new OTLPTraceExporter({ url: `${opts.baseURL}/v1/traces`, headers: { Authorization: `Bearer ${opts.key}` } });
  const service = opts.resource['service.name'] ?? 'unknown';
  const recording: SpanExporter = {
    export: (spans, done) =>
      exporter.export(spans, (result) => {
        if (result.error) opts.failures.push(`${service}: ${result.error.message}`);
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  return new BasicTracerProvider({
    resource: resourceFromAttributes(opts.resource),
    sampler: new AlwaysOnSampler(),
    spanProcessors: [opts.immediate ? new SimpleSpanProcessor(recording) : new BatchSpanProcessor(recording)],
  });
}

/**
 * Several services on the real SDK, one provider (and resource) each as separate processes would
 * have, each exporting on its own; export failures collect in `failures`.
 */
export class ServiceTracers {
  private readonly providers = new Map<string, BasicTracerProvider>();
  readonly failures: string[] = [];

  constructor(
    private readonly baseURL: string,
    private readonly key: string,
    private readonly scope: string,
  ) {}

  tracer(service: string): Tracer {
    let provider = this.providers.get(service);
    if (!provider) {
      provider = exportingProvider({ baseURL: this.baseURL, key: this.key, resource: { 'service.name': service, 'service.instance.id': `${service}-e2e-1` }, failures: this.failures });
      this.providers.set(service, provider);
    }
    return provider.getTracer(this.scope);
  }

  /** Sends everything still buffered and shuts the providers down. */
  async flush(): Promise<void> {
    for (const provider of this.providers.values()) {
      await provider.forceFlush();
      await provider.shutdown();
    }
  }
}

