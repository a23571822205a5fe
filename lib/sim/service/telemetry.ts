// The real OpenTelemetry Node SDK for one fleet process: HTTP auto-instrumentation and the OTLP
// protobuf exporter (endpoint and ingest key from the standard OTEL_EXPORTER_OTLP_* variables).
import { createRequire } from 'node:module';
import type http from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Headers the fleet's own HTTP client sets so the client span can name its peer and retry. */
export const PEER_HEADER = 'x-fleet-peer-service';
export const RESEND_HEADER = 'x-fleet-resend-count';

export interface FleetTelemetry {
  http: typeof http;
  shutdown(): Promise<void>;
}

export function startTelemetry(service: string, instance: string): FleetTelemetry {
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.instance.id': instance,
      'service.version': '1.0.0',
      'deployment.environment.name': 'demo',
    }),
    // A short delay so the dashboard sees a fault within seconds, as a real fleet tuned for it would.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1000, maxQueueSize: 8192, maxExportBatchSize: 1024 })],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and chaos switches are not user traffic.
        ignoreIncomingRequestHook: (req) => /^\/(health|__chaos)/.test(req.url ?? ''),
        startOutgoingSpanHook: (request) => {
          const headers = (request.headers ?? {}) as Record<string, unknown>;
          const peer = headers[PEER_HEADER];
          const resend = Number(headers[RESEND_HEADER] ?? 0);
          return {
            ...(typeof peer === 'string' ? { 'peer.service': peer } : {}),
            ...(resend > 0 ? { 'http.request.resend_count': resend } : {}),
          };
        },
      }),
    ],
  });
  sdk.start();
  // Required (not imported) after start: the instrumentation patches the CommonJS module object,
  // which an ESM named import would have bound before the patch.
  const patchedHttp = createRequire(import.meta.url)('node:http') as typeof http;
  return { http: patchedHttp, shutdown: () => sdk.shutdown() };
}
