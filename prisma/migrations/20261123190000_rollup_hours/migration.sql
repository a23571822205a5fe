-- Hourly rollups next to the minutes, written in the same ingest transaction: a day-long map
-- sums 24 rows per edge instead of 1440. Ranges use whole hours from here and the ragged ends
-- from the minutes.
CREATE TABLE telemetry.service_hours (
    hour      timestamptz NOT NULL,
    service   text NOT NULL,
    requests  bigint NOT NULL,
    errors    bigint NOT NULL,
    hist      bigint[] NOT NULL,
    instances text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (service, hour)
);
CREATE INDEX service_hours_hour ON telemetry.service_hours (hour);

CREATE TABLE telemetry.edge_hours (
    hour        timestamptz NOT NULL,
    source      text NOT NULL,
    target      text NOT NULL,
    target_kind text NOT NULL CHECK (target_kind IN ('service', 'database', 'cache', 'queue', 'external')),
    requests    bigint NOT NULL,
    errors      bigint NOT NULL,
    timeouts    bigint NOT NULL,
    retries     bigint NOT NULL,
    hist        bigint[] NOT NULL,
    lag_hist    bigint[],
    PRIMARY KEY (source, target, hour)
);
CREATE INDEX edge_hours_hour ON telemetry.edge_hours (hour);
