-- The instances (service.instance.id, else host.name) a service ran on each minute, for the
-- dependency map's instance counts; merged by set union.
ALTER TABLE telemetry.service_minutes ADD COLUMN instances text[] NOT NULL DEFAULT '{}';
