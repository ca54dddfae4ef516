-- The ledger's latency to the microsecond. latency_ms (an integer) is 0 for a call under a millisecond: a local model,
-- a fake provider, a connection refused at once. latency_us keeps what the gateway measured (ProviderCaller); rows
-- written before this migration have only latency_ms. latency_ms stays for the reports and tools that read it.
ALTER TABLE llm_calls ADD COLUMN latency_us bigint;

-- The ledger's totals trigger (migration 0011) built an array of the inserted rows and unnested it again in
-- user_usage_totals_apply: in the gateway's settle step it cost ~0.27 ms of a ~0.47 ms ledger insert (pgbench, one
-- row). An insert, the gateway's only write to the ledger, now upserts the totals straight from the transition table
-- (~0.1 ms less); updates and deletes keep the general path.
CREATE OR REPLACE FUNCTION user_usage_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO user_usage_totals AS t (user_id, period, period_start, requests, input_tokens, output_tokens, cost_usd)
        SELECT r.user_id, p.period, p.period_start,
               count(*) FILTER (WHERE r.attempt = 1 OR r.cache_hit), sum(r.input_tokens), sum(r.output_tokens), sum(r.cost_usd)
        FROM new_rows AS r
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
        RETURN NULL;
    END IF;
    PERFORM user_usage_totals_apply(ARRAY(SELECT o::llm_calls FROM old_rows o), -1);
    IF TG_OP = 'UPDATE' THEN
        PERFORM user_usage_totals_apply(ARRAY(SELECT n::llm_calls FROM new_rows n), 1);
    END IF;
    RETURN NULL;
END $$;
