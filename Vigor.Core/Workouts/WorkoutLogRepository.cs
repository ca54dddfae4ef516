using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;

namespace Vigor.Core.Workouts;

/// <summary>
/// Logged sessions, with their per-exercise figures (workout_lifts) and the caller's personal-best staircase
/// (workout_bests, see migration 0007), kept in step in the same transaction.
/// </summary>
internal sealed class WorkoutLogRepository(NpgsqlDataSource dataSource)
{
    private sealed record Row(
        Guid Id, Guid? PlanId, DateTime PerformedAt, int DurationMinutes, string Exercises, int? Rating, string? Notes, string Records, DateTime CreatedAt);

    private const string Columns =
        "id, plan_id, performed_at, duration_minutes, exercises::text AS exercises, rating, notes, records::text AS records, created_at";

    /// <summary>
    /// Serialises the writers of one user's logs until their transaction ends (two-key form; the class is "WBST"), so
    /// that concurrent logs of the same user see each other's steps. It runs as its own statement before the writes:
    /// in READ COMMITTED the next statement's snapshot then includes what the previous holder committed.
    /// </summary>
    private const string LockUser = "SELECT pg_advisory_xact_lock(1464161108, hashtext(@userId::text))";

    /// <summary>
    /// Stores a session with its figures and moves the staircase, in one round trip (one implicit transaction). The
    /// records it set come from one index probe per exercise and kind: the latest step performed strictly before it.
    /// </summary>
    public async Task<WorkoutLogView> InsertAsync(
        Guid userId, Guid? planId, int durationMinutes, LoggedSession session, int? rating, string? notes, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition($"""
            {LockUser};
            WITH lift AS (
                SELECT * FROM workout_lift_figures(@exercises::jsonb)
            ), best AS (
                SELECT lift.exercise_id, k.kind, k.value, prior.value AS previous
                FROM lift
                CROSS JOIN LATERAL (VALUES (1::smallint, lift.heaviest_kg), (2::smallint, lift.e1rm_kg), (3::smallint, lift.best_volume_kg)) k (kind, value)
                LEFT JOIN LATERAL (
                    SELECT b.value FROM workout_bests b
                    WHERE b.user_id = @userId AND b.exercise_id = lift.exercise_id AND b.kind = k.kind AND b.performed_at < @performedAt
                    ORDER BY b.performed_at DESC, b.value DESC
                    LIMIT 1) prior ON true
                WHERE k.value IS NOT NULL
            ), log AS (
                -- PersonalRecords.NewRecords: beat the earlier best by more than 1 g. Math.Round(x, 2) is rint(x * 100) / 100.
                INSERT INTO workout_logs (id, user_id, plan_id, performed_at, duration_minutes, exercises, rating, notes, records, set_count)
                VALUES (@id, @userId, @planId, @performedAt, @durationMinutes, @exercises::jsonb, @rating, @notes,
                        (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                    'exerciseId', exercise_id,
                                    'kind', (ARRAY['{PersonalRecords.HeaviestWeight}', '{PersonalRecords.BestE1rm}', '{PersonalRecords.BestSetVolume}'])[kind],
                                    'value', round(value * 100) / 100, 'previous', round(previous * 100) / 100)
                                  ORDER BY exercise_id COLLATE "C", kind), '[]')
                         FROM best WHERE value > previous + 0.001::float8),
                        (SELECT sum(sets) FROM lift))
                RETURNING records::text AS records, created_at
            ), lifts AS (
                INSERT INTO workout_lifts (user_id, exercise_id, performed_at, log_id, sets, counted_sets, heaviest_kg, best_volume_kg,
                                           e1rm_kg, epley_kg, e1rm_rir)
                SELECT @userId, exercise_id, @performedAt, @id, sets, counted_sets, heaviest_kg, best_volume_kg, e1rm_kg, epley_kg, e1rm_rir
                FROM lift
            ), step AS (
                INSERT INTO workout_bests (user_id, exercise_id, kind, performed_at, log_id, value)
                SELECT @userId, exercise_id, kind, @performedAt, @id, value FROM best WHERE previous IS NULL OR value > previous
            ), overtaken AS (
                DELETE FROM workout_bests b USING best
                WHERE (best.previous IS NULL OR best.value > best.previous)
                  AND b.user_id = @userId AND b.exercise_id = best.exercise_id AND b.kind = best.kind
                  AND b.performed_at > @performedAt AND b.value <= best.value
            )
            SELECT records, created_at FROM log
            """, new
        {
            id,
            userId,
            planId,
            performedAt = session.PerformedAt.UtcDateTime,
            durationMinutes,
            exercises = JsonSerializer.Serialize(session.Exercises, VigorJson.Options),
            rating,
            notes,
        }, cancellationToken: ct));
        await results.ReadAsync();
        var (records, createdAt) = await results.ReadSingleAsync<(string, DateTime)>();
        return new WorkoutLogView(id, planId, session.PerformedAt, durationMinutes, session.Exercises, rating, notes,
            Read<List<PersonalRecord>>(records), createdAt);
    }

    public async Task<WorkoutLogView?> GetOwnAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM workout_logs WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
        return row is null ? null : ToView(row);
    }

    /// <summary>Newest performed first; the cursor is the last log of the previous page (keyset on performed_at, id).</summary>
    public async Task<IReadOnlyList<WorkoutLogView>> ListOwnAsync(Guid userId, DateRange range, Guid? after, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM workout_logs l
            WHERE user_id = @userId AND performed_at BETWEEN @from AND @to
              AND (@after::uuid IS NULL OR (performed_at, id) <
                   (SELECT c.performed_at, c.id FROM workout_logs c WHERE c.id = @after AND c.user_id = @userId))
            ORDER BY performed_at DESC, id DESC
            LIMIT @limit
            """, new { userId, from = range.From.UtcDateTime, to = range.To.UtcDateTime, after, limit }, cancellationToken: ct));
        return rows.Select(ToView).ToList();
    }

    /// <summary>
    /// Deletes a log with its figures. A log that held no step changes no best (a value that was not a step is matched by
    /// an earlier one); each kind it held a step in loses all its steps, which the last statement rebuilds from the
    /// remaining figures (every kind with figures but no step), in the same transaction.
    /// </summary>
    public async Task<bool> DeleteOwnAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition($"""
            {LockUser};
            WITH gone AS (
                DELETE FROM workout_logs WHERE id = @id AND user_id = @userId RETURNING id, performed_at, exercises
            ), lifts AS (
                DELETE FROM workout_lifts l USING gone
                WHERE l.user_id = @userId AND l.performed_at = gone.performed_at AND l.log_id = gone.id
                  AND l.exercise_id IN (SELECT e->>'exerciseId' FROM jsonb_array_elements(gone.exercises) e)
            ), held AS (
                DELETE FROM workout_bests b USING workout_bests h
                WHERE h.user_id = @userId AND h.log_id = @id
                  AND b.user_id = @userId AND b.exercise_id = h.exercise_id AND b.kind = h.kind
            )
            SELECT count(*)::int FROM gone;
            INSERT INTO workout_bests (user_id, exercise_id, kind, performed_at, log_id, value)
            SELECT s.user_id, s.exercise_id, s.kind, s.performed_at, s.log_id, s.value
            FROM workout_best_steps s
            WHERE s.user_id = @userId
              AND NOT EXISTS (SELECT 1 FROM workout_bests b WHERE b.user_id = @userId AND b.exercise_id = s.exercise_id AND b.kind = s.kind)
            """, new { id, userId }, cancellationToken: ct));
        await results.ReadAsync();
        return await results.ReadSingleAsync<int>() > 0;
    }

    private static WorkoutLogView ToView(Row row) => new(
        row.Id, row.PlanId, Utc(row.PerformedAt), row.DurationMinutes, Read<List<LoggedExercise>>(row.Exercises), row.Rating, row.Notes,
        Read<List<PersonalRecord>>(row.Records), row.CreatedAt);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, VigorJson.Options)!;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
