-- The gateway's live counters (quotas, user/global/provider spend; see UsageKeys) in PostgreSQL: PgCounterStore. Same
-- model as the Table Storage design (CounterStore): a partition per user, one for the global budget, one per provider;
-- a row per counter; a marker row per applied operation ("op:" + key) so an activity that runs twice changes nothing
-- the second time. counter_apply makes one call's change in one transaction and one round trip: the marker first (a
-- concurrent repeat of the same operation waits for it), then the counter rows locked in key order (no deadlocks),
-- every positive delta checked against its limit, and either all rows change or none (the marker is taken back).
CREATE TABLE llm_counters (
    partition  text NOT NULL,
    row_key    text NOT NULL,
    value      bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partition, row_key)
);

-- Outcome: 0 applied, 1 already applied, 2 limit reached (limit_row names the refusing row).
CREATE FUNCTION counter_apply(p_partition text, p_marker text, p_rows text[], p_deltas bigint[], p_limits bigint[],
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
    LIMIT 1;
    IF limit_row IS NOT NULL THEN
        DELETE FROM llm_counters WHERE partition = p_partition AND row_key = p_marker;
        outcome := 2;
        RETURN;
    END IF;

    UPDATE llm_counters c SET value = greatest(0, c.value + d.delta), updated_at = now()
    FROM (SELECT r, sum(delta) AS delta FROM unnest(p_rows, p_deltas) AS x (r, delta) GROUP BY r) AS d
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
