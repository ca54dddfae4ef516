-- Scheduled cost reports: one per (kind, period start), so a timer that runs twice replaces its report rather than
-- adding another. The body is the whole report as JSON; the total is kept as a column for the list.
CREATE TABLE cost_reports (
    id             uuid PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('daily', 'weekly')),
    period_start   timestamptz NOT NULL,
    period_end     timestamptz NOT NULL CHECK (period_end > period_start),
    created_at     timestamptz NOT NULL DEFAULT now(),
    total_cost_usd numeric(14, 6) NOT NULL,
    body           jsonb NOT NULL,
    UNIQUE (kind, period_start)
);
CREATE INDEX cost_reports_period ON cost_reports (period_start DESC, id DESC);
