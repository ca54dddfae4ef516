-- GET me/usage: a user's requests, tokens and spend per UTC day, ISO week and month, kept by the database itself in the
-- same transaction as every change to the ledger (llm_calls). So the totals equal a sum over the ledger at every moment
-- (to the micro-dollar, whoever writes the ledger: the gateway, a fixture, retention), and me/usage reads three rows by
-- primary key instead of summing the month's rows. Statement-level triggers with transition tables: one aggregated
-- upsert per statement, so bulk inserts stay cheap. Rows are taken in key order, so concurrent writers cannot deadlock.
CREATE TABLE user_usage_totals (
    user_id       uuid NOT NULL,
    period        text NOT NULL CHECK (period IN ('day', 'week', 'month')),
    period_start  date NOT NULL,
    requests      bigint NOT NULL DEFAULT 0,
    input_tokens  bigint NOT NULL DEFAULT 0,
    output_tokens bigint NOT NULL DEFAULT 0,
    cost_usd      numeric(18, 6) NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, period, period_start)
);

-- Adds (direction 1) or takes away (-1) ledger rows from the totals.
CREATE FUNCTION user_usage_totals_apply(changed llm_calls[], direction int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO user_usage_totals AS t (user_id, period, period_start, requests, input_tokens, output_tokens, cost_usd)
    SELECT r.user_id, p.period, p.period_start,
           direction * count(*) FILTER (WHERE r.attempt = 1 OR r.cache_hit), direction * sum(r.input_tokens),
           direction * sum(r.output_tokens), direction * sum(r.cost_usd)
    FROM unnest(changed) AS r
    CROSS JOIN LATERAL (VALUES
        ('day', (r.created_at AT TIME ZONE 'UTC')::date),
        ('week', date_trunc('week', r.created_at AT TIME ZONE 'UTC')::date),
        ('month', date_trunc('month', r.created_at AT TIME ZONE 'UTC')::date)) AS p (period, period_start)
    WHERE r.user_id IS NOT NULL
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (user_id, period, period_start) DO UPDATE SET
        requests = t.requests + EXCLUDED.requests,
        input_tokens = t.input_tokens + EXCLUDED.input_tokens,
        output_tokens = t.output_tokens + EXCLUDED.output_tokens,
        cost_usd = t.cost_usd + EXCLUDED.cost_usd;
$$;

CREATE FUNCTION user_usage_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM user_usage_totals_apply(ARRAY(SELECT o::llm_calls FROM old_rows o), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM user_usage_totals_apply(ARRAY(SELECT n::llm_calls FROM new_rows n), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER llm_calls_totals_insert AFTER INSERT ON llm_calls
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_usage_totals_change();
CREATE TRIGGER llm_calls_totals_update AFTER UPDATE ON llm_calls
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_usage_totals_change();
CREATE TRIGGER llm_calls_totals_delete AFTER DELETE ON llm_calls
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION user_usage_totals_change();

-- The ledger written before this migration.
SELECT user_usage_totals_apply(ARRAY(SELECT c FROM llm_calls c), 1);
