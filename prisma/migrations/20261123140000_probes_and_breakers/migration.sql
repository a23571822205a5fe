-- Health probes and circuit-breaker state transitions.
-- probe_targets is Prisma-managed configuration; the results and transitions are telemetry
-- (written by lib/db with plain SQL, kept for FAULTLINE_RETENTION_DAYS).

-- CreateEnum
CREATE TYPE "ProbeMethod" AS ENUM ('GET', 'HEAD', 'POST');

-- CreateTable
CREATE TABLE "probe_targets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "method" "ProbeMethod" NOT NULL DEFAULT 'GET',
    "interval_seconds" INTEGER NOT NULL DEFAULT 30,
    "timeout_ms" INTEGER NOT NULL DEFAULT 5000,
    "expected_status" INTEGER NOT NULL DEFAULT 200,
    "parse_health_json" BOOLEAN NOT NULL DEFAULT false,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "probe_targets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "probe_targets_name_key" ON "probe_targets"("name");

-- CreateIndex
CREATE INDEX "probe_targets_service_idx" ON "probe_targets"("service");

-- One row per probe result, pushed (POST /v1/probes) or recorded by the active prober. A result
-- sent twice (an exporter retry) is stored once: same service, target, kind, dependency and time.
CREATE TABLE telemetry.probe_results (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service         text NOT NULL,
    target          text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('liveness', 'readiness', 'dependency', 'synthetic')),
    status          text NOT NULL CHECK (status IN ('pass', 'warn', 'fail')),
    latency_ms      double precision,
    checked_at      timestamptz NOT NULL,
    message         text,
    dependency      text,
    observed_value  text,
    source          text NOT NULL CHECK (source IN ('push', 'active')),
    -- No foreign key: deleting a probe target keeps its history until retention removes it.
    probe_target_id uuid,
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX probe_results_once ON telemetry.probe_results (service, target, kind, checked_at, dependency) NULLS NOT DISTINCT;
CREATE INDEX probe_results_service_time ON telemetry.probe_results (service, checked_at DESC);
CREATE INDEX probe_results_time ON telemetry.probe_results (checked_at);
CREATE INDEX probe_results_probe_target ON telemetry.probe_results (probe_target_id, checked_at DESC) WHERE probe_target_id IS NOT NULL;

-- Circuit-breaker state transitions. A transition sent twice is stored once: same breaker
-- (service, instance, name), state and time.
CREATE TABLE telemetry.breaker_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service        text NOT NULL,
    instance       text NOT NULL DEFAULT '',
    breaker        text NOT NULL,
    dependency     text NOT NULL,
    from_state     text CHECK (from_state IN ('closed', 'open', 'half_open', 'forced_open', 'disabled')),
    to_state       text NOT NULL CHECK (to_state IN ('closed', 'open', 'half_open', 'forced_open', 'disabled')),
    at             timestamptz NOT NULL,
    failure_rate   double precision,
    slow_call_rate double precision,
    reason         text,
    source         text NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX breaker_events_once ON telemetry.breaker_events (service, instance, breaker, to_state, at);
CREATE INDEX breaker_events_edge_time ON telemetry.breaker_events (service, dependency, at);
CREATE INDEX breaker_events_time ON telemetry.breaker_events (at);
