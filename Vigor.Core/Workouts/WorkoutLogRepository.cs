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
    /// in READ COMMITTED the next statement's snapshot then includes what the previous holder committed. insert_workout_log
    /// (migration 0015) takes the same lock.
    /// </summary>
    private const string LockUser = "SELECT pg_advisory_xact_lock(1464161108, hashtext(@userId::text))";

    /// <summary>
    /// Stores a session with its figures and moves the staircase, in one round trip: insert_workout_log (migration 0015)
    /// takes the user's lock and runs one statement on a cached plan. The records it set come from one index probe per
    /// exercise and kind: the latest step performed strictly before it.
    /// </summary>
    public async Task<WorkoutLogView> InsertAsync(
        Guid userId, Guid? planId, int durationMinutes, LoggedSession session, int? rating, string? notes, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var figures = LiftFigures.Of(session);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var (records, createdAt) = await conn.QuerySingleAsync<(string, DateTime)>(new CommandDefinition("""
            SELECT log_records, log_created_at
            FROM insert_workout_log(@id, @userId, @planId, @performedAt, @durationMinutes, @exercises::jsonb, @rating, @notes,
                                    @exerciseIds, @sets, @countedSets, @heaviestKg, @bestVolumeKg, @e1rmKg, @epleyKg, @e1rmRir)
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
            exerciseIds = figures.Select(f => f.ExerciseId).ToArray(),
            sets = figures.Select(f => f.Sets).ToArray(),
            countedSets = figures.Select(f => f.CountedSets).ToArray(),
            heaviestKg = figures.Select(f => f.HeaviestKg).ToArray(),
            bestVolumeKg = figures.Select(f => f.BestVolumeKg).ToArray(),
            e1rmKg = figures.Select(f => f.E1rmKg).ToArray(),
            epleyKg = figures.Select(f => f.EpleyKg).ToArray(),
            e1rmRir = figures.Select(f => f.E1rmRir).ToArray(),
        }, cancellationToken: ct));
        return new WorkoutLogView(id, planId, session.PerformedAt, durationMinutes, session.Exercises, rating, notes,
            Read<List<PersonalRecord>>(records), createdAt);
    }

    public Task<WorkoutLogView> InsertAsync(NewWorkoutLog log, CancellationToken ct) =>
        InsertAsync(log.UserId, log.PlanId, log.DurationMinutes, log.Session, log.Rating, log.Notes, ct);

    /// <summary>
    /// Stores the sessions of different users in one round trip and one transaction: insert_workout_logs (migration 0019)
    /// is insert_workout_log made set-based. At most one log per user; the views come back in the order of
    /// <paramref name="batch"/>. One failing log fails them all (nothing is stored).
    /// </summary>
    public async Task<IReadOnlyList<WorkoutLogView>> InsertBatchAsync(IReadOnlyList<NewWorkoutLog> batch, CancellationToken ct)
    {
        var ids = batch.Select(_ => Guid.CreateVersion7()).ToArray();
        var figures = batch.Select(l => LiftFigures.Of(l.Session)).ToList();
        var lifts = figures.SelectMany((f, i) => f.Select(figure => (Log: i + 1, Figure: figure))).ToList();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(Guid, string, DateTime)>(new CommandDefinition("""
            SELECT log_id, log_records, log_created_at
            FROM insert_workout_logs(@ids, @userIds, @planIds, @performedAt, @durationMinutes, @exercises, @ratings, @notes,
                                     @liftLogs, @exerciseIds, @sets, @countedSets, @heaviestKg, @bestVolumeKg, @e1rmKg, @epleyKg, @e1rmRir)
            """, new
        {
            ids,
            userIds = batch.Select(l => l.UserId).ToArray(),
            planIds = batch.Select(l => l.PlanId).ToArray(),
            performedAt = batch.Select(l => l.Session.PerformedAt.UtcDateTime).ToArray(),
            durationMinutes = batch.Select(l => l.DurationMinutes).ToArray(),
            exercises = batch.Select(l => JsonSerializer.Serialize(l.Session.Exercises, VigorJson.Options)).ToArray(),
            ratings = batch.Select(l => l.Rating).ToArray(),
            notes = batch.Select(l => l.Notes).ToArray(),
            liftLogs = lifts.Select(l => l.Log).ToArray(),
            exerciseIds = lifts.Select(l => l.Figure.ExerciseId).ToArray(),
            sets = lifts.Select(l => l.Figure.Sets).ToArray(),
            countedSets = lifts.Select(l => l.Figure.CountedSets).ToArray(),
            heaviestKg = lifts.Select(l => l.Figure.HeaviestKg).ToArray(),
            bestVolumeKg = lifts.Select(l => l.Figure.BestVolumeKg).ToArray(),
            e1rmKg = lifts.Select(l => l.Figure.E1rmKg).ToArray(),
            epleyKg = lifts.Select(l => l.Figure.EpleyKg).ToArray(),
            e1rmRir = lifts.Select(l => l.Figure.E1rmRir).ToArray(),
        }, cancellationToken: ct));
        var stored = rows.ToDictionary(r => r.Item1, r => (Records: r.Item2, CreatedAt: r.Item3));
        return batch.Select((l, i) => new WorkoutLogView(ids[i], l.PlanId, l.Session.PerformedAt, l.DurationMinutes, l.Session.Exercises,
            l.Rating, l.Notes, Read<List<PersonalRecord>>(stored[ids[i]].Records), stored[ids[i]].CreatedAt)).ToList();
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
