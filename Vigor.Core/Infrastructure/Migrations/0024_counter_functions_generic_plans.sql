-- The counter functions plan their statements once per connection instead of once per call. PL/pgSQL runs each
-- statement with its variables as parameters; the plan cache chose custom plans for them (re-planned on every call)
-- because a generic plan's estimate for unnest() over parameter arrays looks worse than a custom one's, though both
-- plans are the same index lookups on llm_counters. pg_stat_statements (track = all) during the gateway bench, one user,
-- before: counter_apply_many 914 microseconds per call of which its statements 419; counter_apply_together 586, of which
-- 211. pgbench, one client, alternating the setting: counter_apply_many 0.55-0.64 -> 0.43-0.53 ms, counter_apply_together
-- 0.40-0.50 -> 0.28 ms (~0.3 ms of PostgreSQL time per AI request). Migrations 0015 and 0019 do the same for the workout
-- log functions.
--
-- counter_apply_many's one statement that a generic plan makes slow (op_of: one row per operation's counter rows, from
-- nested generate_series with parameter bounds, ~4 ms per call with a generic plan) becomes a PL/pgSQL loop: simple
-- expressions, no plan at all. Everything else is unchanged from migration 0023.

CREATE OR REPLACE FUNCTION counter_apply_many(p_partitions text[], p_markers text[], p_counts int[], p_rows text[], p_deltas bigint[],
                                   p_limits bigint[], p_stop boolean)
RETURNS TABLE (outcome int, limit_row text) LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    n int := coalesce(array_length(p_partitions, 1), 0);
    inserted int;
    marker_partitions text[];
    marker_keys text[];
    op_of int[];
    over_ops int[];
    over_rows text[];
    new_partitions text[];
    new_keys text[];
    undo int[];
    oi int;
    oj int;
BEGIN
    IF n = 0 OR EXISTS (SELECT 1 FROM unnest(p_deltas) AS d WHERE d < 0)
       OR (SELECT count(DISTINCT p) FROM unnest(p_partitions) AS p) < n THEN
        RETURN QUERY SELECT * FROM counter_apply_many_loop(p_partitions, p_markers, p_counts, p_rows, p_deltas, p_limits, p_stop);
        RETURN;
    END IF;

    WITH m AS (
        INSERT INTO llm_counters (partition, row_key)
        SELECT p_partitions[k], p_markers[k] FROM generate_series(1, n) AS k ORDER BY k
        ON CONFLICT DO NOTHING RETURNING llm_counters.partition, llm_counters.row_key
    )
    SELECT count(*), array_agg(m.partition), array_agg(m.row_key) INTO inserted, marker_partitions, marker_keys FROM m;
    IF inserted < n THEN
        -- A repeat: take back the markers just inserted and let the loop answer operation by operation.
        DELETE FROM llm_counters c USING unnest(marker_partitions, marker_keys) AS x (p, k) WHERE c.partition = x.p AND c.row_key = x.k;
        RETURN QUERY SELECT * FROM counter_apply_many_loop(p_partitions, p_markers, p_counts, p_rows, p_deltas, p_limits, p_stop);
        RETURN;
    END IF;

    -- Which operation each row belongs to; rows are summed per operation and row (its smallest limit applies), as
    -- counter_apply does.
    op_of := '{}';
    FOR oi IN 1 .. n LOOP
        FOR oj IN 1 .. p_counts[oi] LOOP
            op_of := op_of || oi;
        END LOOP;
    END LOOP;
    WITH d AS (
        SELECT x.i, p_partitions[x.i] AS partition, x.r AS row_key, sum(x.delta)::bigint AS delta, min(x.lim) AS lim
        FROM unnest(op_of, p_rows, p_deltas, p_limits) AS x (i, r, delta, lim)
        GROUP BY x.i, x.r
    ), u AS (
        INSERT INTO llm_counters AS c (partition, row_key, value, last_delta)
        SELECT d.partition, d.row_key, d.delta, d.delta FROM d ORDER BY d.i, d.row_key
        ON CONFLICT (partition, row_key) DO UPDATE
            SET value = c.value + excluded.last_delta, last_delta = excluded.last_delta, updated_at = now()
        RETURNING c.partition, c.row_key, c.value, c.xmax = 0 AS inserted
    ), over AS (
        SELECT DISTINCT ON (d.i) d.i, d.row_key
        FROM u JOIN d ON d.partition = u.partition AND d.row_key = u.row_key
        WHERE d.delta > 0 AND d.lim IS NOT NULL AND u.value > d.lim
        ORDER BY d.i, d.row_key
    )
    SELECT (SELECT array_agg(over.i ORDER BY over.i) FROM over), (SELECT array_agg(over.row_key ORDER BY over.i) FROM over),
           (SELECT array_agg(u.partition) FROM u WHERE u.inserted), (SELECT array_agg(u.row_key) FROM u WHERE u.inserted)
    INTO over_ops, over_rows, new_partitions, new_keys;

    IF over_ops IS NULL THEN
        RETURN QUERY SELECT 0, NULL::text FROM generate_series(1, n);
        RETURN;
    END IF;

    -- Undo the refused operations (with p_stop, the first refused one and every one after it). The refused operation
    -- keeps the rows it created, at zero, as counter_apply does; the operations after it, which the loop never tried,
    -- leave no row behind.
    undo := CASE WHEN p_stop THEN ARRAY(SELECT generate_series(over_ops[1], n)) ELSE over_ops END;
    IF p_stop AND over_ops[1] < n THEN
        DELETE FROM llm_counters c USING unnest(new_partitions, new_keys) AS x (p, k)
        WHERE c.partition = x.p AND c.row_key = x.k
          AND x.p = ANY (ARRAY(SELECT p_partitions[j] FROM generate_series(over_ops[1] + 1, n) AS j));
    END IF;
    UPDATE llm_counters c SET value = c.value - d.delta, last_delta = -d.delta
    FROM (SELECT x.i, x.r, sum(x.delta)::bigint AS delta FROM unnest(op_of, p_rows, p_deltas) AS x (i, r, delta) GROUP BY x.i, x.r) AS d
    WHERE d.i = ANY (undo) AND c.partition = p_partitions[d.i] AND c.row_key = d.r;
    DELETE FROM llm_counters c USING unnest(undo) AS k WHERE c.partition = p_partitions[k] AND c.row_key = p_markers[k];

    RETURN QUERY
        SELECT CASE WHEN k = ANY (over_ops) THEN 2 ELSE 0 END,
               CASE WHEN k = ANY (over_ops) THEN over_rows[array_position(over_ops, k)] END
        FROM generate_series(1, CASE WHEN p_stop THEN over_ops[1] ELSE n END) AS k;
END
$$;

ALTER FUNCTION counter_apply_together(text, text, text[], int[], text[], bigint[]) SET plan_cache_mode = force_generic_plan;
