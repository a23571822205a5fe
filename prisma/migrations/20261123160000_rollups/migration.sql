-- Per-minute rollups of services and caller→callee edges, computed as spans arrive (see
-- lib/rollup). Latency histograms have fixed buckets (lib/rollup/histogram.ts), so minutes merge
-- exactly by adding arrays element-wise.

CREATE FUNCTION telemetry.hist_add(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL THEN a
    ELSE (SELECT array_agg(COALESCE(x, 0) + COALESCE(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i))
  END
$$;

CREATE AGGREGATE telemetry.hist_sum(bigint[]) (SFUNC = telemetry.hist_add, STYPE = bigint[]);

-- Requests a service handled (its SERVER and CONSUMER spans), by the minute they started.
CREATE TABLE telemetry.service_minutes (
    minute   timestamptz NOT NULL,
    service  text NOT NULL,
    requests bigint NOT NULL,
    errors   bigint NOT NULL,
    hist     bigint[] NOT NULL,
    PRIMARY KEY (service, minute)
);
CREATE INDEX service_minutes_minute ON telemetry.service_minutes (minute);

-- Calls from one service to another (or to a leaf: database, cache, queue, external API), by
-- the minute the call started, measured on the caller's side.
CREATE TABLE telemetry.edge_minutes (
    minute      timestamptz NOT NULL,
    source      text NOT NULL,
    target      text NOT NULL,
    target_kind text NOT NULL CHECK (target_kind IN ('service', 'database', 'cache', 'queue', 'external')),
    requests    bigint NOT NULL,
    errors      bigint NOT NULL,
    timeouts    bigint NOT NULL,
    -- Attempts that were retries (http.request.resend_count > 0): attempts per logical call is
    -- requests / (requests - retries).
    retries     bigint NOT NULL,
    hist        bigint[] NOT NULL,
    -- Publish→process lag for queue → consumer edges.
    lag_hist    bigint[],
    PRIMARY KEY (source, target, minute)
);
CREATE INDEX edge_minutes_minute ON telemetry.edge_minutes (minute);

-- The two halves of a call waiting for each other: a caller's CLIENT (or PRODUCER) span and a
-- callee's SERVER (or CONSUMER) span arrive in different exports, often seconds apart. The rollup
-- worker pairs them (span_id = parent_span_id) and turns pairs into edge minutes; a caller left
-- alone past the grace period becomes an edge to the leaf it names (peer.service, db.*, …).
CREATE TABLE telemetry.edge_candidates (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    role           smallint NOT NULL CHECK (role IN (1, 2)), -- 1 caller, 2 callee
    trace_id       bytea NOT NULL,
    span_id        bytea NOT NULL,
    -- The callee's parent (or, for a consumer, the producer span it links to).
    parent_span_id bytea,
    service        text NOT NULL,
    minute         timestamptz NOT NULL,
    start_us       bigint NOT NULL,
    duration_us    bigint NOT NULL,
    is_error       boolean NOT NULL,
    is_timeout     boolean NOT NULL,
    resend         integer NOT NULL,
    peer           text,
    peer_kind      text,
    arrived_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX edge_candidates_caller ON telemetry.edge_candidates (trace_id, span_id) WHERE role = 1;
CREATE INDEX edge_candidates_callee ON telemetry.edge_candidates (trace_id, parent_span_id) WHERE role = 2;
CREATE INDEX edge_candidates_arrived ON telemetry.edge_candidates (arrived_at);
