-- Trace storage, written by hand: Prisma cannot express partitioned tables. Everything lives in
-- the `telemetry` schema, which Prisma's schema (the `public` schema) does not manage, so
-- partitions created at run time never look like drift to `prisma migrate`.
CREATE SCHEMA IF NOT EXISTS telemetry;

-- One row per distinct resource (service.name plus its attributes), shared by many spans.
CREATE TABLE telemetry.resources (
  id            bytea PRIMARY KEY,          -- 16-byte hash of the canonical attribute JSON
  service_name  text NOT NULL,
  attributes    jsonb NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resources_service_name_idx ON telemetry.resources (service_name);

-- Spans, partitioned by day of start time so retention drops whole partitions.
CREATE TABLE telemetry.spans (
  start_time        timestamptz NOT NULL,     -- microsecond precision; exact nanos below
  trace_id          bytea       NOT NULL,     -- 16 bytes
  span_id           bytea       NOT NULL,     -- 8 bytes
  parent_span_id    bytea,                    -- 8 bytes; null for a root span
  start_ns          bigint      NOT NULL,     -- unix nanoseconds, exact
  duration_ns       bigint      NOT NULL,
  service_name      text        NOT NULL,
  name              text        NOT NULL,
  kind              smallint    NOT NULL,     -- OTLP SpanKind
  status_code       smallint    NOT NULL,     -- OTLP StatusCode: 0 unset, 1 ok, 2 error
  status_message    text,
  resource_id       bytea       NOT NULL,
  scope_name        text,
  scope_version     text,
  trace_state       text,
  flags             integer     NOT NULL DEFAULT 0,
  -- json, not jsonb: stored for display and checked for syntax only, which costs the write path
  -- far less; anything that needs to query attributes reads them from the decoded spans at ingest.
  attributes        json        NOT NULL,
  events            json,                     -- [{t: ns string, name, attributes, dropped?}]
  links             json,                     -- [{traceId, spanId, traceState?, attributes}]
  dropped_counts    integer[],                -- attributes, events, links; null when all zero
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  -- The idempotency key: an exporter's retry of the same span is stored once.
  PRIMARY KEY (trace_id, span_id, start_time)
) PARTITION BY RANGE (start_time);
-- No other index on spans: every extra B-tree is paid on each of thousands of rows a second.
-- Trace look-ups use the primary key's trace_id prefix; searches start from trace_summaries.

-- One row per trace, maintained by the ingest writer in the same transaction as its spans:
-- the search page reads this instead of grouping raw spans.
CREATE TABLE telemetry.trace_summaries (
  trace_id        bytea PRIMARY KEY,
  start_ns        bigint      NOT NULL,
  end_ns          bigint      NOT NULL,
  start_time      timestamptz NOT NULL,
  span_count      integer     NOT NULL,
  error_count     integer     NOT NULL,
  root_service    text,
  root_operation  text,
  services        text[]      NOT NULL
);
CREATE INDEX trace_summaries_start_time_idx ON telemetry.trace_summaries (start_time DESC);
CREATE INDEX trace_summaries_services_idx ON telemetry.trace_summaries USING gin (services);

-- Span names per service, for the search form; refreshed by the writer at most every few minutes per pair.
CREATE TABLE telemetry.operations (
  service_name  text        NOT NULL,
  name          text        NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  PRIMARY KEY (service_name, name)
);
