'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** How to point an OpenTelemetry SDK or Collector at this Faultline, with this server's address. */
export function ExporterSnippet() {
  const origin = useSyncExternalStore(subscribe, () => window.location.origin, () => 'http://localhost:3000');
  return (
    <pre aria-label="OpenTelemetry exporter settings">
      {`# any OpenTelemetry SDK (OTLP/HTTP, protobuf or JSON)
OTEL_EXPORTER_OTLP_ENDPOINT=${origin}
OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer <ingest API key>
OTEL_SERVICE_NAME=checkout`}
    </pre>
  );
}
