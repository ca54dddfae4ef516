-- Budget alerts: one row per (scope, period, threshold), so an alert is raised once however often the watch runs.
CREATE TABLE budget_alerts (
    id           bigserial PRIMARY KEY,
    scope        text NOT NULL,
    period       text NOT NULL,
    threshold    int NOT NULL CHECK (threshold > 0),
    spent_usd    numeric(12, 6) NOT NULL,
    limit_usd    numeric(12, 6) NOT NULL,
    forecast_usd numeric(12, 6),
    raised_at    timestamptz NOT NULL DEFAULT now(),
    notified_at  timestamptz,
    UNIQUE (scope, period, threshold)
);

-- The usage rollup reads the ledger in commit-safe order. A bigserial id is taken when a row is inserted, not when
-- its transaction commits, so a row with a lower id can become visible after one with a higher id: a checkpoint on
-- the id alone could step over it for good. Each row now records the id of the transaction that wrote it; every
-- transaction older than the oldest one still running (pg_snapshot_xmin) has finished, so rows ordered by
-- (tx, id) below that horizon are final and none can appear behind a checkpoint. Existing rows get 0: they were
-- committed before this migration (ALTER TABLE waits for running writers). A constant default first, then the
-- real one, so the table is not rewritten.
ALTER TABLE llm_calls ADD COLUMN tx xid8 NOT NULL DEFAULT '0';
ALTER TABLE llm_calls ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX llm_calls_tx ON llm_calls (tx, id);
