-- POST workouts/logs of many users in one round trip and one transaction (WorkoutLogBatcher; bench/training.sh, run A).
-- Under load most of a log's PostgreSQL CPU was per statement rather than per row: the executor start of the CTE plan,
-- the socket round trip and the commit. The logs that arrive while a batch is on its way go out together through this
-- function: the statement of insert_workout_log (migrations 0015, 0016) made set-based, the same rules row for row.
--
-- A batch holds at most one log per user (the batcher keeps a user's next log for a later batch), so the logs of one call
-- never see each other's steps and the one statement is exact. The users' locks are taken in ascending key order, so two
-- batches (of this or another instance) never wait for each other in a cycle; a single insert or delete holds one lock.
-- p_lift_logs holds, for each figure row, the 1-based position of its log in the log arrays.
CREATE FUNCTION insert_workout_logs(
    p_ids uuid[], p_user_ids uuid[], p_plan_ids uuid[], p_performed_at timestamptz[], p_duration_minutes int[], p_exercises text[],
    p_ratings int[], p_notes text[], p_lift_logs int[], p_exercise_ids text[], p_sets int[], p_counted_sets int[],
    p_heaviest_kg float8[], p_best_volume_kg float8[], p_e1rm_kg float8[], p_epley_kg float8[], p_e1rm_rir int[])
RETURNS TABLE (log_id uuid, log_records text, log_created_at timestamptz)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET vigor.training_notify = 'app'
SET enable_seqscan = off
AS $$
BEGIN
    -- A subquery with ORDER BY is not flattened: the locks are taken in its order.
    PERFORM pg_advisory_xact_lock(1464161108, s.k)
    FROM (SELECT DISTINCT hashtext(u::text) AS k FROM unnest(p_user_ids) u ORDER BY 1) s;
    RETURN QUERY
    WITH entry AS (
        SELECT * FROM unnest(p_ids, p_user_ids, p_plan_ids, p_performed_at, p_duration_minutes, p_exercises, p_ratings, p_notes)
            WITH ORDINALITY AS e (id, user_id, plan_id, performed_at, duration_minutes, exercises, rating, notes, n)
    ), lift AS (
        SELECT entry.id AS log_id, entry.user_id, entry.performed_at, f.*
        FROM unnest(p_lift_logs, p_exercise_ids, p_sets, p_counted_sets, p_heaviest_kg, p_best_volume_kg, p_e1rm_kg, p_epley_kg, p_e1rm_rir)
            AS f (n, exercise_id, sets, counted_sets, heaviest_kg, best_volume_kg, e1rm_kg, epley_kg, e1rm_rir)
        JOIN entry ON entry.n = f.n
    ), best AS (
        -- the records' kinds, in the order of PersonalRecords.HeaviestWeight, BestE1rm, BestSetVolume
        SELECT lift.log_id, lift.user_id, lift.performed_at, lift.exercise_id, k.kind, k.value, prior.value AS previous
        FROM lift
        CROSS JOIN LATERAL (VALUES (1::smallint, lift.heaviest_kg), (2::smallint, lift.e1rm_kg), (3::smallint, lift.best_volume_kg)) k (kind, value)
        LEFT JOIN LATERAL (
            SELECT b.value FROM workout_bests b
            WHERE b.user_id = lift.user_id AND b.exercise_id = lift.exercise_id AND b.kind = k.kind AND b.performed_at < lift.performed_at
            ORDER BY b.performed_at DESC, b.value DESC
            LIMIT 1) prior ON true
        WHERE k.value IS NOT NULL
    ), record AS (
        -- PersonalRecords.NewRecords: beat the earlier best by more than 1 g. Math.Round(x, 2) is rint(x * 100) / 100.
        SELECT best.log_id, jsonb_agg(jsonb_build_object(
                   'exerciseId', best.exercise_id,
                   'kind', (ARRAY['heaviest_weight', 'best_e1rm', 'best_set_volume'])[best.kind],
                   'value', round(best.value * 100) / 100, 'previous', round(best.previous * 100) / 100)
                 ORDER BY best.exercise_id COLLATE "C", best.kind) AS records
        FROM best WHERE best.value > best.previous + 0.001::float8
        GROUP BY best.log_id
    ), total AS (
        SELECT lift.log_id, sum(lift.sets) AS set_count FROM lift GROUP BY lift.log_id
    ), log AS (
        INSERT INTO workout_logs (id, user_id, plan_id, performed_at, duration_minutes, exercises, rating, notes, records, set_count)
        SELECT entry.id, entry.user_id, entry.plan_id, entry.performed_at, entry.duration_minutes, entry.exercises::jsonb,
               entry.rating, entry.notes, coalesce(record.records, '[]'), total.set_count
        FROM entry
        LEFT JOIN record ON record.log_id = entry.id
        LEFT JOIN total ON total.log_id = entry.id
        RETURNING workout_logs.id, workout_logs.records::text AS records, workout_logs.created_at
    ), lifts AS (
        INSERT INTO workout_lifts (user_id, exercise_id, performed_at, log_id, sets, counted_sets, heaviest_kg, best_volume_kg,
                                   e1rm_kg, epley_kg, e1rm_rir)
        SELECT lift.user_id, lift.exercise_id, lift.performed_at, lift.log_id, lift.sets, lift.counted_sets, lift.heaviest_kg,
               lift.best_volume_kg, lift.e1rm_kg, lift.epley_kg, lift.e1rm_rir
        FROM lift
    ), step AS (
        INSERT INTO workout_bests (user_id, exercise_id, kind, performed_at, log_id, value)
        SELECT best.user_id, best.exercise_id, best.kind, best.performed_at, best.log_id, best.value
        FROM best WHERE best.previous IS NULL OR best.value > best.previous
    ), overtaken AS (
        DELETE FROM workout_bests b USING best
        WHERE (best.previous IS NULL OR best.value > best.previous)
          AND b.user_id = best.user_id AND b.exercise_id = best.exercise_id AND b.kind = best.kind
          AND b.performed_at > best.performed_at AND b.value <= best.value
    )
    SELECT log.id, log.records, log.created_at FROM log;
END
$$;
