-- 10-second rollups of services and edges. Spans are counted into these first; minutes and hours
-- are the same rows summed. Detection reads its recent windows from here, so an alert does not
-- wait for a minute to fill (or get diluted by a minute of healthy traffic). Kept for
-- FAULTLINE_FINE_ROLLUP_HOURS (48 h by default), minutes and hours for the full retention.

CREATE TABLE telemetry.service_fine (
    bucket    timestamptz NOT NULL,
    service   text NOT NULL,
    requests  bigint NOT NULL,
    errors    bigint NOT NULL,
    hist      bigint[] NOT NULL,
    instances text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (service, bucket)
);
CREATE INDEX service_fine_bucket ON telemetry.service_fine (bucket);

CREATE TABLE telemetry.edge_fine (
    bucket      timestamptz NOT NULL,
    source      text NOT NULL,
    target      text NOT NULL,
    target_kind text NOT NULL CHECK (target_kind IN ('service', 'database', 'cache', 'queue', 'external')),
    requests    bigint NOT NULL,
    errors      bigint NOT NULL,
    timeouts    bigint NOT NULL,
    retries     bigint NOT NULL,
    hist        bigint[] NOT NULL,
    lag_hist    bigint[],
    PRIMARY KEY (source, target, bucket)
);
CREATE INDEX edge_fine_bucket ON telemetry.edge_fine (bucket);

-- Waiting callers keep the 10-second bucket their call started in.
ALTER TABLE telemetry.edge_candidates RENAME COLUMN minute TO bucket;
