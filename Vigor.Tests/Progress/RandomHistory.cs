using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;
using Vigor.Tests.Support;

namespace Vigor.Tests.Progress;

/// <summary>
/// Seeded random sessions for comparing the SQL paths with the in-memory rules: loaded and bodyweight lifts, timed
/// holds, cardio and mobility; sets with and without weight and RIR, above 10 reps, at zero reps; an exercise listed
/// twice; sessions at the very same moment; loads that climb, stall and drop, so records, plateaus and deloads happen.
/// </summary>
internal sealed class RandomHistory(int seed)
{
    private static readonly (string Id, double Base)[] Loaded =
        [("barbell-bench-press", 60), ("barbell-back-squat", 90), ("dumbbell-bench-press", 22), ("seated-cable-row", 45), ("goblet-squat", 20)];

    private static readonly string[] Timed = ["front-plank", "stationary-bike", "wall-sit"];

    private static readonly string[] Unloaded = ["push-up", "cat-cow", "burpee"];

    private readonly Random random = new(seed);
    private readonly List<DateTimeOffset> used = [];

    /// <summary>A moment in [<paramref name="from"/>, <paramref name="to"/>) at whole seconds; now and then one used before.</summary>
    public DateTimeOffset At(DateTimeOffset from, DateTimeOffset to)
    {
        if (used.Count > 0 && random.NextDouble() < 0.08)
            return used[random.Next(used.Count)];
        var at = from.AddSeconds(Math.Floor(random.NextDouble() * (to - from).TotalSeconds));
        at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
        used.Add(at);
        return at;
    }

    /// <param name="progress">0 to 1 through the history: loads climb with it, with stalls and dips.</param>
    public LoggedSession Session(DateTimeOffset at, double progress)
    {
        var exercises = new List<LoggedExercise>();
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var pick = random.Next(10);
            if (pick < 6)
            {
                var (id, load) = Loaded[random.Next(Loaded.Length)];
                var top = load * (1 + 0.3 * Math.Min(progress, 0.7)) + (random.Next(5) - 2) * 2.5;
                exercises.Add(new LoggedExercise(id, Enumerable.Range(0, random.Next(1, 5)).Select(_ => LoadedSet(top)).ToList()));
            }
            else if (pick < 8)
                exercises.Add(new LoggedExercise(Timed[random.Next(Timed.Length)], [new LoggedSet(0, null, random.Next(20, 600))]));
            else
                exercises.Add(new LoggedExercise(Unloaded[random.Next(Unloaded.Length)],
                    Enumerable.Range(0, random.Next(1, 4)).Select(_ => new LoggedSet(random.Next(0, 25), random.Next(4) == 0 ? 10 : null)).ToList()));
        }
        return new LoggedSession(at, exercises);
    }

    private LoggedSet LoadedSet(double top)
    {
        var kg = random.Next(20) switch
        {
            0 => (double?)null,
            1 => 0,
            2 => 101, // 101 kg x 5 at RIR 0 is Brzycki 113.625: a midpoint that Math.Round(x, 2) takes to even
            _ => Math.Round(top * 2) / 2 - (random.Next(3) * 2.5),
        };
        var reps = kg == 101 ? 5 : random.Next(12) == 0 ? random.Next(11, 16) : random.Next(1, 11);
        int? rir = kg == 101 ? 0 : random.Next(3) == 0 ? null : random.Next(0, 6);
        return new LoggedSet(reps, kg, null, rir);
    }

    /// <summary>The body of <c>POST workouts/logs</c> for a session.</summary>
    public static object Body(LoggedSession session, string? planId = null) => new
    {
        planId,
        performedAt = session.PerformedAt,
        durationMinutes = 50,
        exercises = session.Exercises.Select(e => new
        {
            exerciseId = e.ExerciseId,
            sets = e.Sets.Select(s => new { reps = s.Reps, weightKg = s.WeightKg, durationSeconds = s.DurationSeconds, rir = s.Rir }),
        }),
    };

    private sealed record StoredRow(DateTime PerformedAt, Guid? PlanId, string Exercises);

    /// <summary>The user's stored sessions in the order PostgreSQL keeps them (performed_at, id), with their plans.</summary>
    public static async Task<List<(LoggedSession Session, Guid? PlanId)>> StoredAsync(TestHost host, Guid userId)
    {
        await using var conn = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var rows = await conn.QueryAsync<StoredRow>(
            "SELECT performed_at, plan_id, exercises::text AS exercises FROM workout_logs WHERE user_id = @userId ORDER BY performed_at, id",
            new { userId });
        return rows.Select(r => (new LoggedSession(
                new DateTimeOffset(DateTime.SpecifyKind(r.PerformedAt, DateTimeKind.Utc)),
                System.Text.Json.JsonSerializer.Deserialize<List<LoggedExercise>>(r.Exercises, VigorJson.Options)!), r.PlanId))
            .ToList();
    }

    /// <summary>The personal-best staircase as stored, and as computed from scratch by the workout_best_steps view.</summary>
    public static async Task<(string Stored, string FromScratch)> StaircaseAsync(TestHost host, Guid userId)
    {
        await using var conn = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        const string Columns = "exercise_id || ' ' || kind || ' ' || performed_at || ' ' || log_id || ' ' || value";
        const string Order = "ORDER BY exercise_id, kind, performed_at, log_id";
        var stored = await conn.QueryAsync<string>($"SELECT {Columns} FROM workout_bests WHERE user_id = @userId {Order}", new { userId });
        var fromScratch = await conn.QueryAsync<string>($"SELECT {Columns} FROM workout_best_steps WHERE user_id = @userId {Order}", new { userId });
        return (string.Join('\n', stored), string.Join('\n', fromScratch));
    }
}
