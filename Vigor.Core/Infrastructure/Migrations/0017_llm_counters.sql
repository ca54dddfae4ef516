-- The gateway's live counters (quotas, user/global/provider spend; see UsageKeys) in PostgreSQL: PgCounterStore. Same
-- model as the Table Storage design (CounterStore): a partition per user, one for the global budget, one per provider;
-- a row per counter; a marker row per applied operation ("op:" + key) so an activity that runs twice changes nothing
-- the second time. counter_apply makes one call's change in one transaction and one round trip, and either every row
-- changes or none does (the marker is taken back too).
CREATE TABLE llm_counters (
    partition  text NOT NULL,
    row_key    text NOT NULL,
    value      bigint NOT NULL DEFAULT 0,
    last_delta bigint NOT NULL DEFAULT 0,  -- the change last applied (carries the delta into ON CONFLICT DO UPDATE)
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partition, row_key)
);

-- Outcome: 0 applied, 1 already applied, 2 limit reached (limit_row names the refusing row).
-- The common call is one statement: the marker is inserted (a concurrent repeat of the operation waits for it and then
-- finds it), and every counter row is upserted in key order (row locks in one order: no deadlocks), returning the new
-- values. A positive delta passed its limit exactly when the new value is above it, since the row was locked when it
-- was read. Then the change is undone in the same transaction, before anyone else can see it. Undoing subtracts the
-- delta, which is exact unless a negative delta was clamped at zero; a call that has both negative deltas and limits
-- (none of the gateway's do) takes the lock-check-write path instead.
CREATE FUNCTION counter_apply(p_partition text, p_marker text, p_rows text[], p_deltas bigint[], p_limits bigint[],
                              OUT outcome int, OUT limit_row text) LANGUAGE plpgsql AS $$
DECLARE
    applied boolean;
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(p_deltas, p_limits) AS x (delta, lim) WHERE x.delta < 0)
       AND EXISTS (SELECT 1 FROM unnest(p_limits) AS l WHERE l IS NOT NULL) THEN
        SELECT c.outcome, c.limit_row INTO outcome, limit_row FROM counter_apply_checked(p_partition, p_marker, p_rows, p_deltas, p_limits) c;
        RETURN;
    END IF;

    WITH m AS (
        INSERT INTO llm_counters (partition, row_key) VALUES (p_partition, p_marker) ON CONFLICT DO NOTHING RETURNING 1
    ), d AS (
        SELECT x.r, sum(x.delta)::bigint AS delta, min(x.lim) AS lim FROM unnest(p_rows, p_deltas, p_limits) AS x (r, delta, lim) GROUP BY x.r
    ), u AS (
        INSERT INTO llm_counters AS c (partition, row_key, value, last_delta)
        SELECT p_partition, d.r, greatest(0, d.delta), d.delta FROM d WHERE EXISTS (SELECT 1 FROM m) ORDER BY d.r
        ON CONFLICT (partition, row_key) DO UPDATE
            SET value = greatest(0, c.value + excluded.last_delta), last_delta = excluded.last_delta, updated_at = now()
        RETURNING c.row_key, c.value
    )
    SELECT EXISTS (SELECT 1 FROM m),
           (SELECT u.row_key FROM u JOIN d ON d.r = u.row_key WHERE d.delta > 0 AND d.lim IS NOT NULL AND u.value > d.lim ORDER BY u.row_key LIMIT 1)
    INTO applied, limit_row;

    IF NOT applied THEN
        outcome := 1;
        RETURN;
    END IF;
    IF limit_row IS NOT NULL THEN
        UPDATE llm_counters c SET value = c.value - d.delta, last_delta = -d.delta
        FROM (SELECT x.r, sum(x.delta)::bigint AS delta FROM unnest(p_rows, p_deltas) AS x (r, delta) GROUP BY x.r) AS d
        WHERE c.partition = p_partition AND c.row_key = d.r;
        DELETE FROM llm_counters WHERE partition = p_partition AND row_key = p_marker;
        outcome := 2;
        RETURN;
    END IF;
    outcome := 0;
END
$$;

-- The general path: rows locked in key order and checked before anything changes.
CREATE FUNCTION counter_apply_checked(p_partition text, p_marker text, p_rows text[], p_deltas bigint[], p_limits bigint[],
                                      OUT outcome int, OUT limit_row text) LANGUAGE plpgsql AS $$
DECLARE
    inserted int;
BEGIN
    INSERT INTO llm_counters (partition, row_key) VALUES (p_partition, p_marker) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted = 0 THEN
        outcome := 1;
        RETURN;
    END IF;

    INSERT INTO llm_counters (partition, row_key)
    SELECT DISTINCT p_partition, r FROM unnest(p_rows) AS r ORDER BY 2
    ON CONFLICT DO NOTHING;
    PERFORM 1 FROM llm_counters WHERE partition = p_partition AND row_key = ANY (p_rows) ORDER BY row_key FOR UPDATE;

    SELECT d.r INTO limit_row
    FROM unnest(p_rows, p_deltas, p_limits) AS d (r, delta, lim)
    JOIN llm_counters c ON c.partition = p_partition AND c.row_key = d.r
    WHERE d.delta > 0 AND d.lim IS NOT NULL AND c.value + d.delta > d.lim
    ORDER BY d.r LIMIT 1;
    IF limit_row IS NOT NULL THEN
        DELETE FROM llm_counters WHERE partition = p_partition AND row_key = p_marker;
        outcome := 2;
        RETURN;
    END IF;

    UPDATE llm_counters c SET value = greatest(0, c.value + d.delta), last_delta = d.delta, updated_at = now()
    FROM (SELECT r, sum(delta)::bigint AS delta FROM unnest(p_rows, p_deltas) AS x (r, delta) GROUP BY r) AS d
    WHERE c.partition = p_partition AND c.row_key = d.r;
    outcome := 0;
END
$$;

-- An AI request answered inline (JobService: the first candidate called in the HTTP request, Durable only for the
-- fallback) keeps its input and result here: GET jobs/{id} reads the result, and LlmJobRecovery hands a job whose
-- instance died before it finished to the Durable orchestrator, which settles its reservation.
ALTER TABLE jobs
    ADD COLUMN input        jsonb,
    ADD COLUMN result       json,  -- json, not jsonb: kept as written, so it reads exactly as an orchestration output
    ADD COLUMN handed_over  boolean NOT NULL DEFAULT false,
    ADD COLUMN completed_at timestamptz;
CREATE INDEX jobs_inline_open ON jobs (created_at) WHERE input IS NOT NULL AND completed_at IS NULL AND NOT handed_over;
