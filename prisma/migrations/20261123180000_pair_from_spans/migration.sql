-- Waiting callers now find their callee among the stored spans (by the span table's primary key),
-- so callees are no longer stored as candidates and their index goes.
DROP INDEX telemetry.edge_candidates_callee;
