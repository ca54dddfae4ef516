using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Progress;

/// <summary>
/// What <c>GET progress</c> needs, read in one round trip from indexes (migration 0007): per-day session and set counts,
/// the window's sets per exercise and week and its e1RM points, the latest personal-best step of each exercise, the
/// tail of each e1RM series with the best before it (plateaus), and the last two sessions (reactive deload).
/// </summary>
internal sealed class ProgressRepository(NpgsqlDataSource dataSource)
{
    private sealed record DayRow(DateOnly Day, int Sessions, int Sets);

    private sealed record WeekRow(DateOnly Week, string ExerciseId, int Sets);

    private sealed record PointRow(string ExerciseId, DateTime PerformedAt, double E1rmKg, double EpleyKg, int? E1rmRir);

    private sealed record BestRow(string ExerciseId, short Kind, double Value);

    private sealed record SessionRow(DateTime PerformedAt, Guid? PlanId, string Exercises);

    private static readonly int PlateauHours = (int)PlateauDetector.Weeks.TotalHours;

    /// <summary>The exercises of the caller's staircase, one index probe each (PostgreSQL 15 has no skip scan).</summary>
    private const string Exercises = """
        WITH RECURSIVE ex AS (
            (SELECT exercise_id FROM workout_bests WHERE user_id = @userId ORDER BY exercise_id LIMIT 1)
            UNION ALL
            SELECT (SELECT b.exercise_id FROM workout_bests b WHERE b.user_id = @userId AND b.exercise_id > ex.exercise_id
                    ORDER BY b.exercise_id LIMIT 1)
            FROM ex WHERE ex.exercise_id IS NOT NULL)
        """;

    /// <returns>Null when the user does not exist.</returns>
    public async Task<ProgressData?> ReadAsync(Guid userId, DateTimeOffset asOf, DateTimeOffset from, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition($"""
            SELECT p.fitness_level FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id = @userId;

            SELECT (performed_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS sessions, sum(set_count)::int AS sets
            FROM workout_logs WHERE user_id = @userId AND performed_at <= @asOf
            GROUP BY 1;

            SELECT date_trunc('week', performed_at AT TIME ZONE 'UTC')::date AS week, exercise_id, sum(counted_sets)::int AS sets
            FROM workout_lifts WHERE user_id = @userId AND performed_at >= @from AND performed_at <= @asOf
            GROUP BY 1, 2;

            SELECT exercise_id, performed_at, e1rm_kg, epley_kg, e1rm_rir
            FROM workout_lifts WHERE user_id = @userId AND performed_at >= @from AND performed_at <= @asOf AND e1rm_kg IS NOT NULL
            ORDER BY exercise_id COLLATE "C", performed_at, log_id;

            {Exercises}
            SELECT ex.exercise_id, k.kind, s.value
            FROM ex CROSS JOIN (VALUES (1::smallint), (2::smallint), (3::smallint)) k (kind)
            CROSS JOIN LATERAL (
                SELECT b.value FROM workout_bests b
                WHERE b.user_id = @userId AND b.exercise_id = ex.exercise_id AND b.kind = k.kind AND b.performed_at <= @asOf
                ORDER BY b.performed_at DESC, b.value DESC
                LIMIT 1) s
            WHERE ex.exercise_id IS NOT NULL;

            -- Per exercise: the points from the third-last or 3 weeks before the last, whichever is earlier, after the best
            -- point before them (the latest best_e1rm step; the earliest of equal bests comes first). PlateauDetector needs no more.
            {Exercises}
            SELECT ex.exercise_id, t.performed_at, t.e1rm_kg, t.epley_kg, t.e1rm_rir
            FROM ex
            CROSS JOIN LATERAL (
                SELECT least(min(l.performed_at), max(l.performed_at) - interval '{PlateauHours} hours') AS bound
                FROM (SELECT performed_at FROM workout_lifts
                      WHERE user_id = @userId AND exercise_id = ex.exercise_id AND e1rm_kg IS NOT NULL AND performed_at <= @asOf
                      ORDER BY performed_at DESC, log_id DESC
                      LIMIT {PlateauDetector.Sessions}) l) tail
            CROSS JOIN LATERAL (
                (SELECT 0 AS part, l.performed_at, l.log_id, l.e1rm_kg, l.epley_kg, l.e1rm_rir
                 FROM workout_bests b
                 JOIN workout_lifts l ON l.user_id = b.user_id AND l.exercise_id = b.exercise_id AND l.performed_at = b.performed_at
                                     AND l.log_id = b.log_id
                 WHERE b.user_id = @userId AND b.exercise_id = ex.exercise_id AND b.kind = 2 AND b.performed_at < tail.bound
                 ORDER BY b.performed_at DESC, b.value DESC, b.log_id
                 LIMIT 1)
                UNION ALL
                SELECT 1, performed_at, log_id, e1rm_kg, epley_kg, e1rm_rir
                FROM workout_lifts
                WHERE user_id = @userId AND exercise_id = ex.exercise_id AND e1rm_kg IS NOT NULL
                  AND performed_at >= tail.bound AND performed_at <= @asOf) t
            WHERE tail.bound IS NOT NULL
            ORDER BY ex.exercise_id COLLATE "C", t.part, t.performed_at, t.log_id;

            SELECT performed_at, plan_id, exercises::text AS exercises
            FROM workout_logs WHERE user_id = @userId AND performed_at <= @asOf
            ORDER BY performed_at DESC, id DESC
            LIMIT {DeloadAdvisor.BelowTargetSessions};

            SELECT min(performed_at) FROM workout_logs WHERE user_id = @userId AND performed_at > @asOf;
            """, new { userId, asOf = asOf.UtcDateTime, from = from.UtcDateTime }, cancellationToken: ct));

        var user = (await results.ReadAsync<string?>()).ToList();
        if (user.Count == 0)
            return null;
        var days = await results.ReadAsync<DayRow>();
        var weeks = await results.ReadAsync<WeekRow>();
        var points = await results.ReadAsync<PointRow>();
        var bests = await results.ReadAsync<BestRow>();
        var tails = await results.ReadAsync<PointRow>();
        var latest = await results.ReadAsync<SessionRow>();
        var next = await results.ReadSingleAsync<DateTime?>();
        return new ProgressData(
            user[0],
            days.Select(d => new TrainingDay(d.Day, d.Sessions, d.Sets)).ToList(),
            weeks.ToLookup(w => w.Week, w => new ExerciseSets(w.ExerciseId, w.Sets)),
            Trends(points),
            bests.GroupBy(b => b.ExerciseId)
                .Select(g => new PersonalBest(g.Key, Kind(g, 1), Kind(g, 2), Kind(g, 3)))
                .OrderBy(b => b.ExerciseId, StringComparer.Ordinal)
                .ToList(),
            Trends(tails),
            latest.Reverse()
                .Select(r => (new LoggedSession(Utc(r.PerformedAt), JsonSerializer.Deserialize<List<LoggedExercise>>(r.Exercises, VigorJson.Options)!), r.PlanId))
                .ToList(),
            next is { } n ? Utc(n) : null);
    }

    private static List<ExerciseTrend> Trends(IEnumerable<PointRow> rows) =>
        rows.GroupBy(r => r.ExerciseId)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => E1rmTrends.Of(g.Key, g.Select(r => new E1rmPoint(Utc(r.PerformedAt), r.E1rmKg, r.EpleyKg, r.E1rmRir)).ToList()))
            .ToList();

    private static double? Kind(IEnumerable<BestRow> rows, short kind) => rows.FirstOrDefault(r => r.Kind == kind)?.Value;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>Sessions and all their sets on one UTC day.</summary>
internal sealed record TrainingDay(DateOnly Day, int Sessions, int Sets);

/// <param name="Level">The profile's fitness level, when set.</param>
/// <param name="WeeklySets">Counted sets per exercise for each week of the window.</param>
/// <param name="Trends">The window's e1RM points per exercise.</param>
/// <param name="Bests">Personal bests up to now (all history).</param>
/// <param name="PlateauTails">Per exercise, the points PlateauDetector looks at: the best earlier point, then the tail.</param>
/// <param name="Latest">The last sessions up to now, oldest first, with the plan each followed.</param>
/// <param name="NextLogAt">The first session after now (logged ahead of time), which will change the answer when it comes.</param>
internal sealed record ProgressData(
    string? Level,
    IReadOnlyList<TrainingDay> Days,
    ILookup<DateOnly, ExerciseSets> WeeklySets,
    IReadOnlyList<ExerciseTrend> Trends,
    IReadOnlyList<PersonalBest> Bests,
    IReadOnlyList<ExerciseTrend> PlateauTails,
    IReadOnlyList<(LoggedSession Session, Guid? PlanId)> Latest,
    DateTimeOffset? NextLogAt);
