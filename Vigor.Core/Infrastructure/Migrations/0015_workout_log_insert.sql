-- POST workouts/logs in one call with a cached plan (bench/training.sh, run A). The statement of migration 0007's design
-- (lock, then one statement that inserts the log with its records, its figures and its staircase steps) was sent as SQL
-- text, and PostgreSQL planned it again on every call: with the caller's user id and time as constants a custom plan
-- always looks cheaper than the generic one, so the plan cache never settled, and planning that many CTEs cost about as
-- much CPU as running them. Inside this function the plans are generic (plan_cache_mode) and kept per connection. The
-- per-exercise figures come in as arrays computed by the app (Vigor.Core/Workouts/LiftFigures.cs, the rules of
-- workout_lift_figures), so the exercises JSON is parsed once, to be stored.
--
-- Writers of one user are serialised by an advisory lock held until the transaction ends (two-key form; the class is
-- "WBST"). The function is VOLATILE, so in READ COMMITTED the insert after the lock runs on a new snapshot that includes
-- what the previous holder committed.
CREATE FUNCTION insert_workout_log(
    p_id uuid, p_user_id uuid, p_plan_id uuid, p_performed_at timestamptz, p_duration_minutes int, p_exercises jsonb,
    p_rating int, p_notes text, p_exercise_ids text[], p_sets int[], p_counted_sets int[], p_heaviest_kg float8[],
    p_best_volume_kg float8[], p_e1rm_kg float8[], p_epley_kg float8[], p_e1rm_rir int[])
RETURNS TABLE (log_records text, log_created_at timestamptz)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1464161108, hashtext(p_user_id::text));
    RETURN QUERY
    WITH lift AS (
        SELECT * FROM unnest(p_exercise_ids, p_sets, p_counted_sets, p_heaviest_kg, p_best_volume_kg, p_e1rm_kg, p_epley_kg, p_e1rm_rir)
            AS f (exercise_id, sets, counted_sets, heaviest_kg, best_volume_kg, e1rm_kg, epley_kg, e1rm_rir)
    ), best AS (
        -- the records' kinds, in the order of PersonalRecords.HeaviestWeight, BestE1rm, BestSetVolume
        SELECT lift.exercise_id, k.kind, k.value, prior.value AS previous
        FROM lift
        CROSS JOIN LATERAL (VALUES (1::smallint, lift.heaviest_kg), (2::smallint, lift.e1rm_kg), (3::smallint, lift.best_volume_kg)) k (kind, value)
        LEFT JOIN LATERAL (
            SELECT b.value FROM workout_bests b
            WHERE b.user_id = p_user_id AND b.exercise_id = lift.exercise_id AND b.kind = k.kind AND b.performed_at < p_performed_at
            ORDER BY b.performed_at DESC, b.value DESC
            LIMIT 1) prior ON true
        WHERE k.value IS NOT NULL
    ), log AS (
        -- PersonalRecords.NewRecords: beat the earlier best by more than 1 g. Math.Round(x, 2) is rint(x * 100) / 100.
        INSERT INTO workout_logs (id, user_id, plan_id, performed_at, duration_minutes, exercises, rating, notes, records, set_count)
        VALUES (p_id, p_user_id, p_plan_id, p_performed_at, p_duration_minutes, p_exercises, p_rating, p_notes,
                (SELECT coalesce(jsonb_agg(jsonb_build_object(
                            'exerciseId', best.exercise_id,
                            'kind', (ARRAY['heaviest_weight', 'best_e1rm', 'best_set_volume'])[best.kind],
                            'value', round(best.value * 100) / 100, 'previous', round(best.previous * 100) / 100)
                          ORDER BY best.exercise_id COLLATE "C", best.kind), '[]')
                 FROM best WHERE best.value > best.previous + 0.001::float8),
                (SELECT sum(lift.sets) FROM lift))
        RETURNING workout_logs.records::text AS records, workout_logs.created_at
    ), lifts AS (
        INSERT INTO workout_lifts (user_id, exercise_id, performed_at, log_id, sets, counted_sets, heaviest_kg, best_volume_kg,
                                   e1rm_kg, epley_kg, e1rm_rir)
        SELECT p_user_id, lift.exercise_id, p_performed_at, p_id, lift.sets, lift.counted_sets, lift.heaviest_kg, lift.best_volume_kg,
               lift.e1rm_kg, lift.epley_kg, lift.e1rm_rir
        FROM lift
    ), step AS (
        INSERT INTO workout_bests (user_id, exercise_id, kind, performed_at, log_id, value)
        SELECT p_user_id, best.exercise_id, best.kind, p_performed_at, p_id, best.value
        FROM best WHERE best.previous IS NULL OR best.value > best.previous
    ), overtaken AS (
        DELETE FROM workout_bests b USING best
        WHERE (best.previous IS NULL OR best.value > best.previous)
          AND b.user_id = p_user_id AND b.exercise_id = best.exercise_id AND b.kind = best.kind
          AND b.performed_at > p_performed_at AND b.value <= best.value
    )
    SELECT log.records, log.created_at FROM log;
END
$$;
