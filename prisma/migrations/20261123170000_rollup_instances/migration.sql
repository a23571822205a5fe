-- The instances (service.instance.id, else host.name) a service ran on each minute, for the
-- dependency map's instance counts; merged by set union.
ALTER TABLE telemetry.service_minutes ADD COLUMN instances text[] NOT NULL DEFAULT '{}';

-- Pending candidates are drained every few seconds, so the table stays small and the worker's
-- scan for stale callers needs no index of its own; every index here costs the ingest path.
DROP INDEX telemetry.edge_candidates_arrived;
