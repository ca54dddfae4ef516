-- Training speed (issue 3): the figures that records and progress need, kept beside each log so that neither re-reads
-- the JSON history. Logging a session and GET progress then touch a few index entries per exercise instead of every
-- earlier session.

-- The figures of one logged session per exercise, the same rules as Vigor.Core/Progress (OneRepMax, PersonalRecords,
-- E1rmTrends, WeeklyMuscleVolume): e1RM from weighted sets of 1-10 reps at RIR <= 3 (or none) with reps + RIR, Brzycki
-- ranked, the first best set wins; heaviest weight and best set volume from weighted sets with reps. The float8
-- arithmetic is written in the order the C# code uses, so the values are bit-identical (tests compare them).
CREATE FUNCTION workout_lift_figures(exercises jsonb)
RETURNS TABLE (exercise_id text, sets int, counted_sets int, heaviest_kg float8, best_volume_kg float8,
               e1rm_kg float8, epley_kg float8, e1rm_rir int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH s AS (
        SELECT e.value->>'exerciseId' AS exercise_id, e.ordinality AS e_ord, x.ordinality AS s_ord,
               coalesce((x.value->>'reps')::int, 0) AS reps, (x.value->>'weightKg')::float8 AS kg,
               (x.value->>'durationSeconds')::int AS seconds, (x.value->>'rir')::int AS rir
        FROM jsonb_array_elements(exercises) WITH ORDINALITY e
        CROSS JOIN LATERAL jsonb_array_elements(e.value->'sets') WITH ORDINALITY x
    ), rm AS (
        SELECT s.*, (s.reps + coalesce(s.rir, 0))::float8 AS r FROM s
        WHERE s.kg > 0 AND s.reps BETWEEN 1 AND 10 AND (s.rir IS NULL OR s.rir BETWEEN 0 AND 3)
    ), best AS (
        SELECT DISTINCT ON (rm.exercise_id) rm.exercise_id, rm.kg * 36 / (37 - rm.r) AS brzycki,
               rm.kg * (1 + rm.r / 30) AS epley, rm.rir
        FROM rm
        ORDER BY rm.exercise_id, rm.kg * 36 / (37 - rm.r) DESC, rm.e_ord, rm.s_ord
    )
    SELECT s.exercise_id, count(*)::int, (count(*) FILTER (WHERE s.reps > 0 OR s.seconds > 0))::int,
           max(s.kg) FILTER (WHERE s.kg > 0 AND s.reps > 0),
           max(s.kg * s.reps) FILTER (WHERE s.kg > 0 AND s.reps > 0),
           b.brzycki, b.epley, b.rir
    FROM s LEFT JOIN best b ON b.exercise_id = s.exercise_id
    GROUP BY s.exercise_id, b.brzycki, b.epley, b.rir
$$;

-- One row per exercise of a logged session (an exercise listed twice in a session is one row).
CREATE TABLE workout_lifts (
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id    text NOT NULL,
    performed_at   timestamptz NOT NULL,
    log_id         uuid NOT NULL,
    sets           int NOT NULL,
    -- sets with reps or seconds: the weekly sets per muscle
    counted_sets   int NOT NULL,
    heaviest_kg    float8,
    best_volume_kg float8,
    -- the session's e1RM trend point: the best set by Brzycki, its Epley value and its RIR
    e1rm_kg        float8,
    epley_kg       float8,
    e1rm_rir       int,
    PRIMARY KEY (user_id, exercise_id, performed_at, log_id)
);
CREATE INDEX workout_lifts_user_performed ON workout_lifts (user_id, performed_at);

-- Personal bests as a staircase per user, exercise and kind (1 heaviest_weight, 2 best_e1rm, 3 best_set_volume): a
-- session's value is a step when it beats every value performed strictly before it. The best before any moment is then
-- the latest step before it (one index probe), which is what a backdated log is compared with; the last step is the
-- all-time best. A new log adds its steps and drops the later steps it equals or beats; deleting a log rebuilds the
-- kinds it held a step in (workout_best_steps). Writers of one user hold an advisory lock (WorkoutLogRepository).
CREATE TABLE workout_bests (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id  text NOT NULL,
    kind         smallint NOT NULL CHECK (kind BETWEEN 1 AND 3),
    performed_at timestamptz NOT NULL,
    log_id       uuid NOT NULL,
    value        float8 NOT NULL
);
CREATE UNIQUE INDEX workout_bests_steps ON workout_bests (user_id, exercise_id, kind, performed_at DESC, value DESC, log_id);

-- The staircase computed from scratch: backfills below and rebuilds after a delete; tests compare it with the table.
CREATE VIEW workout_best_steps AS
SELECT user_id, exercise_id, kind, performed_at, log_id, value
FROM (
    SELECT l.user_id, l.exercise_id, k.kind, l.performed_at, l.log_id, k.value,
           max(k.value) OVER (PARTITION BY l.user_id, l.exercise_id, k.kind ORDER BY l.performed_at
                              RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP) AS earlier
    FROM workout_lifts l
    CROSS JOIN LATERAL (VALUES (1::smallint, l.heaviest_kg), (2::smallint, l.e1rm_kg), (3::smallint, l.best_volume_kg)) k (kind, value)
    WHERE k.value IS NOT NULL
) s
WHERE earlier IS NULL OR value > earlier;

-- All sets of a session (deload weeks compare weekly set totals), kept in the timeline index with it so that streaks,
-- sessions per week and continuous weeks come from an index scan.
ALTER TABLE workout_logs ADD COLUMN set_count int;
UPDATE workout_logs l SET set_count = (SELECT coalesce(sum(f.sets), 0) FROM workout_lift_figures(l.exercises) f);
ALTER TABLE workout_logs ALTER COLUMN set_count SET NOT NULL;
DROP INDEX workout_logs_user_performed;
CREATE INDEX workout_logs_user_performed ON workout_logs (user_id, performed_at DESC, id DESC) INCLUDE (set_count);

INSERT INTO workout_lifts (user_id, exercise_id, performed_at, log_id, sets, counted_sets, heaviest_kg, best_volume_kg,
                           e1rm_kg, epley_kg, e1rm_rir)
SELECT l.user_id, f.exercise_id, l.performed_at, l.id, f.sets, f.counted_sets, f.heaviest_kg, f.best_volume_kg,
       f.e1rm_kg, f.epley_kg, f.e1rm_rir
FROM workout_logs l CROSS JOIN LATERAL workout_lift_figures(l.exercises) f;

INSERT INTO workout_bests (user_id, exercise_id, kind, performed_at, log_id, value)
SELECT user_id, exercise_id, kind, performed_at, log_id, value FROM workout_best_steps;
