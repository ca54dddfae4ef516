using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;

namespace Vigor.Core.Workouts;

internal sealed class WorkoutLogRepository(NpgsqlDataSource dataSource)
{
    private sealed record Row(
        Guid Id, Guid? PlanId, DateTime PerformedAt, int DurationMinutes, string Exercises, int? Rating, string? Notes, string Records, DateTime CreatedAt);

    private sealed record SessionRow(DateTime PerformedAt, Guid? PlanId, string Exercises);

    private sealed record ExerciseRow(Guid Id, DateTime PerformedAt, string Exercise);

    private const string Columns =
        "id, plan_id, performed_at, duration_minutes, exercises::text AS exercises, rating, notes, records::text AS records, created_at";

    public async Task<WorkoutLogView> InsertAsync(
        Guid userId, Guid? planId, int durationMinutes, LoggedSession session, int? rating, string? notes,
        IReadOnlyList<PersonalRecord> records, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO workout_logs (id, user_id, plan_id, performed_at, duration_minutes, exercises, rating, notes, records)
            VALUES (@id, @userId, @planId, @performedAt, @durationMinutes, @exercises::jsonb, @rating, @notes, @records::jsonb)
            RETURNING {Columns}
            """, new
        {
            id = Guid.CreateVersion7(),
            userId,
            planId,
            performedAt = session.PerformedAt.UtcDateTime,
            durationMinutes,
            exercises = JsonSerializer.Serialize(session.Exercises, VigorJson.Options),
            rating,
            notes,
            records = JsonSerializer.Serialize(records, VigorJson.Options),
        }, cancellationToken: ct));
        return ToView(row);
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

    public async Task<bool> DeleteOwnAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM workout_logs WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct)) > 0;
    }

    /// <summary>The caller's sessions performed before <paramref name="before"/>, reduced to the given exercises (for PR checks).</summary>
    public async Task<IReadOnlyList<LoggedSession>> HistoryAsync(Guid userId, DateTimeOffset before, string[] exerciseIds, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ExerciseRow>(new CommandDefinition("""
            SELECT l.id, l.performed_at, e.value::text AS exercise
            FROM workout_logs l CROSS JOIN LATERAL jsonb_array_elements(l.exercises) AS e(value)
            WHERE l.user_id = @userId AND l.performed_at < @before AND e.value->>'exerciseId' = ANY(@exerciseIds)
            """, new { userId, before = before.UtcDateTime, exerciseIds }, cancellationToken: ct));
        return rows.GroupBy(r => r.Id)
            .Select(g => new LoggedSession(Utc(g.First().PerformedAt), g.Select(r => Read<LoggedExercise>(r.Exercise)).ToList()))
            .ToList();
    }

    /// <summary>The caller's most recent sessions up to <paramref name="asOf"/>, oldest first, with the plan each followed.</summary>
    public async Task<IReadOnlyList<(LoggedSession Session, Guid? PlanId)>> RecentSessionsAsync(
        Guid userId, DateTimeOffset asOf, int max, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<SessionRow>(new CommandDefinition("""
            SELECT performed_at, plan_id, exercises::text AS exercises FROM workout_logs
            WHERE user_id = @userId AND performed_at <= @asOf
            ORDER BY performed_at DESC, id DESC
            LIMIT @max
            """, new { userId, asOf = asOf.UtcDateTime, max }, cancellationToken: ct));
        return rows.Reverse()
            .Select(r => (new LoggedSession(Utc(r.PerformedAt), Read<List<LoggedExercise>>(r.Exercises)), r.PlanId))
            .ToList();
    }

    private static WorkoutLogView ToView(Row row) => new(
        row.Id, row.PlanId, Utc(row.PerformedAt), row.DurationMinutes, Read<List<LoggedExercise>>(row.Exercises), row.Rating, row.Notes,
        Read<List<PersonalRecord>>(row.Records), row.CreatedAt);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, VigorJson.Options)!;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
