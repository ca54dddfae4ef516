-- Several partitions' changes applied as ONE operation: ICounterStore.ApplyTogetherAsync (the gateway's settle step).
-- counter_apply_many (migration 0020) keeps a marker row per operation, because its operations are also applied one by
-- one elsewhere and each must stay a no-op when repeated. A settlement's changes (the user's and the global budget, the
-- deferred provider hold) only ever travel together, in one transaction, so one marker row makes the whole call a no-op
-- when repeated: three marker rows fewer per AI request. No limits (a settlement only moves what is already held).
-- Rows are upserted in the callers' operation order, then key order: user, global, provider, the order every
-- multi-partition call locks in, so concurrent calls cannot deadlock. Outcome: 0 applied, 1 already applied.
CREATE FUNCTION counter_apply_together(p_marker_partition text, p_marker text, p_partitions text[], p_counts int[],
                                       p_rows text[], p_deltas bigint[]) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO llm_counters (partition, row_key) VALUES (p_marker_partition, p_marker) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN 1;
    END IF;
    INSERT INTO llm_counters AS c (partition, row_key, value, last_delta)
    SELECT o.partition, d.r, greatest(0, sum(d.delta)), sum(d.delta)
    FROM unnest(p_partitions, p_counts) WITH ORDINALITY AS o (partition, n, i)
    JOIN LATERAL (SELECT sum(p_counts[k])::int AS before FROM generate_subscripts(p_counts, 1) AS k WHERE k < o.i) AS b ON true
    JOIN LATERAL unnest(p_rows[coalesce(b.before, 0) + 1 : coalesce(b.before, 0) + o.n],
                        p_deltas[coalesce(b.before, 0) + 1 : coalesce(b.before, 0) + o.n]) AS d (r, delta) ON true
    GROUP BY o.partition, d.r
    ORDER BY min(o.i), d.r
    ON CONFLICT (partition, row_key) DO UPDATE
        SET value = greatest(0, c.value + excluded.last_delta), last_delta = excluded.last_delta, updated_at = now();
    RETURN 0;
END
$$;
