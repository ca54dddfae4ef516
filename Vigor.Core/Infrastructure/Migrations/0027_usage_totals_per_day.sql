-- user_usage_totals keeps one row per user and UTC day; GET me/usage sums a week's and a month's days when it reads
-- (TierRepository.GetUsageAsync: at most 37 rows by primary key, once per change thanks to UsageCache). The ledger's
-- insert trigger upserted three rows (day, ISO week, month), each firing the usage notification, on every AI request:
-- pgbench, one ledger row, 0.40-0.44 ms with three rows against 0.31-0.33 ms with one. The totals still change in the
-- ledger's own transaction, so they equal a sum over the ledger at every moment (UserUsageTotalsTests).
-- The period column and its CHECK stay: 'day' is the only value written from now on.
CREATE OR REPLACE FUNCTION user_usage_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO user_usage_totals AS t (user_id, period, period_start, requests, input_tokens, output_tokens, cost_usd)
        SELECT r.user_id, 'day', (r.created_at AT TIME ZONE 'UTC')::date,
               count(*) FILTER (WHERE r.attempt = 1 OR r.cache_hit), sum(r.input_tokens), sum(r.output_tokens), sum(r.cost_usd)
        FROM new_rows AS r
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

-- Updates and deletes (retention, fixes by hand) take the general path, per day too.
CREATE OR REPLACE FUNCTION user_usage_totals_apply(changed llm_calls[], direction int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_usage_totals AS t (user_id, period, period_start, requests, input_tokens, output_tokens, cost_usd)
    SELECT r.user_id, 'day', (r.created_at AT TIME ZONE 'UTC')::date,
           direction * count(*) FILTER (WHERE r.attempt = 1 OR r.cache_hit), direction * sum(r.input_tokens),
           direction * sum(r.output_tokens), direction * sum(r.cost_usd)
    FROM unnest(changed) AS r
    WHERE r.user_id IS NOT NULL
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (user_id, period, period_start) DO UPDATE SET
        requests = t.requests + EXCLUDED.requests,
        input_tokens = t.input_tokens + EXCLUDED.input_tokens,
        output_tokens = t.output_tokens + EXCLUDED.output_tokens,
        cost_usd = t.cost_usd + EXCLUDED.cost_usd;
END
$$;

-- The week and month rows are sums of day rows now; the day rows stay as they are.
DELETE FROM user_usage_totals WHERE period <> 'day';
