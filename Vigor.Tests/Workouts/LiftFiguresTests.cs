using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;
using Vigor.Core.Workouts;
using Vigor.Tests.Progress;
using Vigor.Tests.Support;

namespace Vigor.Tests.Workouts;

/// <summary>The figures a log sends to PostgreSQL are those the SQL function of migration 0007 computes, to the bit.</summary>
[TestClass]
public sealed class LiftFiguresTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task Of_EqualsWorkoutLiftFiguresSql_OnARandomHistory()
    {
        var history = new RandomHistory(20261127);
        var now = DateTimeOffset.UtcNow;
        var sessions = Enumerable.Range(0, 200).Select(i => history.Session(now.AddDays(-i), i / 200.0)).ToList();
        await using var conn = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var mismatches = new List<string>();

        foreach (var session in sessions)
        {
            var expected = await conn.QueryAsync<(string, int, int, double?, double?, double?, double?, int?)>(
                "SELECT * FROM workout_lift_figures(@exercises::jsonb) ORDER BY exercise_id COLLATE \"C\"",
                new { exercises = JsonSerializer.Serialize(session.Exercises, VigorJson.Options) });
            var actual = LiftFigures.Of(session).OrderBy(f => f.ExerciseId, StringComparer.Ordinal)
                .Select(f => (f.ExerciseId, f.Sets, f.CountedSets, f.HeaviestKg, f.BestVolumeKg, f.E1rmKg, f.EpleyKg, f.E1rmRir));
            if (!expected.SequenceEqual(actual))
                mismatches.Add($"expected {string.Join(", ", expected)}; got {string.Join(", ", actual)}");
        }

        Assert.IsEmpty(mismatches, string.Join('\n', mismatches));
        Assert.IsTrue(sessions.Any(s => s.Exercises.GroupBy(e => e.ExerciseId).Any(g => g.Count() > 1)), "an exercise listed twice");
        Assert.IsTrue(sessions.Any(s => LiftFigures.Of(s).Any(f => f.E1rmKg is null && f.HeaviestKg is not null)), "weighted sets without an e1RM");
    }

    [TestMethod]
    public void Of_TakesTheFirstOfEqualE1rms_AndMergesARepeatedExercise()
    {
        var session = new LoggedSession(DateTimeOffset.UtcNow, [
            new LoggedExercise("barbell-bench-press", [new LoggedSet(5, 100, null, 2), new LoggedSet(0, null, 30)]),
            new LoggedExercise("front-plank", [new LoggedSet(0, null, 60)]),
            new LoggedExercise("barbell-bench-press", [new LoggedSet(6, 100, null, 1), new LoggedSet(12, 80)]),
        ]);

        var figures = LiftFigures.Of(session);

        Assert.HasCount(2, figures);
        Assert.AreEqual(new LiftFigure("barbell-bench-press", 4, 4, 100, 960, OneRepMax.Brzycki(100, 7), OneRepMax.Epley(100, 7), 2), figures[0]);
        Assert.AreEqual(new LiftFigure("front-plank", 1, 1, null, null, null, null, null), figures[1]);
    }
}
