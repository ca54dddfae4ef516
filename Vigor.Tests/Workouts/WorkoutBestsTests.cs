using System.Net;
using System.Text.Json;
using Npgsql;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;
using Vigor.Core.Workouts;
using Vigor.Tests.Progress;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Workouts;

/// <summary>The personal-best staircase behind a log's records: exact under concurrency, rebuilt on delete, equal to the C# rule.</summary>
[TestClass]
public sealed class WorkoutBestsTests
{
    private static TestHost Host => SharedHost.Host;

    private static LoggedSession BenchSession(DateTimeOffset at, double kg) =>
        new(at, [new LoggedExercise("barbell-bench-press", [new LoggedSet(5, kg, null, 2), new LoggedSet(5, kg, null, 2)])]);

    private static object Bench(DateTimeOffset at, double kg) => Log(at, Lift("barbell-bench-press", Set(5, kg, 2), Set(5, kg, 2)));

    private static double PreviousHeaviest(JsonElement log) =>
        log.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "heaviest_weight").GetProperty("previous").GetDouble();

    [TestMethod]
    public async Task ConcurrentLogs_OfOneUser_KeepTheBestsExact()
    {
        var user = await Host.RegisterAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        // One warm connection per writer, released at once (the host multiplexes its commands over few connections, which
        // would mostly run them in turn), as several Function instances would.
        await using var dataSource = new NpgsqlDataSourceBuilder(Host.ConnectionString)
            { ConnectionStringBuilder = { Multiplexing = false, MaxPoolSize = 32 } }.Build();
        var logs = new WorkoutLogRepository(dataSource);
        var open = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => dataSource.OpenConnectionAsync().AsTask()));
        foreach (var connection in open)
            await connection.DisposeAsync();
        var go = new TaskCompletionSource();

        // Each log is performed earlier and heavier than the one before it, so each overtakes the steps of all the others:
        // a writer that missed a concurrent one would leave a stale step behind.
        var writers = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            await go.Task;
            await logs.InsertAsync(user.UserId, null, 60, BenchSession(start.AddMinutes(-10 * i), 50 + i), null, null, CancellationToken.None);
        })).ToList();
        go.SetResult();
        await Task.WhenAll(writers);
        var (stored, fromScratch) = await RandomHistory.StaircaseAsync(Host, user.UserId);
        var probe = await LogAsync(Host, user, Bench(start.AddMinutes(5), 82));

        Assert.AreEqual(fromScratch, stored);
        Assert.AreEqual(3, stored.Split('\n').Length, "one step per kind: the earliest session is the heaviest");
        Assert.AreEqual(81, PreviousHeaviest(probe));
    }

    [TestMethod]
    public async Task DeleteLog_ThatHeldTheRecord_RebuildsTheBests()
    {
        var user = await Host.RegisterAsync();
        var now = DateTimeOffset.UtcNow;
        await LogAsync(Host, user, Bench(now.AddDays(-4), 60));
        var record = await LogAsync(Host, user, Bench(now.AddDays(-3), 70));
        var lower = await LogAsync(Host, user, Bench(now.AddDays(-2), 55));
        await LogAsync(Host, user, Bench(now.AddDays(-1), 65));

        var deleteLower = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{lower.GetProperty("id").GetString()}", user.AccessToken);
        var afterLower = await RandomHistory.StaircaseAsync(Host, user.UserId);
        var deleteRecord = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{record.GetProperty("id").GetString()}", user.AccessToken);
        var afterRecord = await RandomHistory.StaircaseAsync(Host, user.UserId);
        var probe = await LogAsync(Host, user, Bench(now.AddHours(-1), 66));
        var progress = await Json(await Host.SendAsync(HttpMethod.Get, "/api/progress", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(HttpStatusCode.NoContent, deleteLower.StatusCode);
        Assert.AreEqual(HttpStatusCode.NoContent, deleteRecord.StatusCode);
        Assert.AreEqual(afterLower.FromScratch, afterLower.Stored);
        Assert.AreEqual(afterRecord.FromScratch, afterRecord.Stored);
        Assert.AreEqual(65, PreviousHeaviest(probe), "the 65 kg session overtaken by the deleted 70 kg one is the best again");
        Assert.AreEqual(66, progress.GetProperty("personalRecords")[0].GetProperty("heaviestKg").GetDouble());
    }

    [TestMethod]
    public async Task LogWorkout_Records_MatchTheInMemoryRule_OnARandomHistory()
    {
        var user = await Host.RegisterAsync();
        var history = new RandomHistory(20261126);
        var now = DateTimeOffset.UtcNow;
        var logged = new List<LoggedSession>();
        var mismatches = new List<string>();

        for (var i = 0; i < 60; i++)
        {
            // backdated now and then, like a log entered after the fact
            var session = history.Session(history.At(now.AddDays(-120), now.AddHours(-1)), i / 60.0);
            var log = await LogAsync(Host, user, RandomHistory.Body(session));
            var expected = PersonalRecords.NewRecords(logged.Where(s => s.PerformedAt < session.PerformedAt), session)
                .Select(r => r with { Value = Math.Round(r.Value, 2), Previous = Math.Round(r.Previous, 2) })
                .ToList();
            var actual = log.GetProperty("records").Deserialize<List<PersonalRecord>>(VigorJson.Options)!;
            if (!expected.SequenceEqual(actual))
                mismatches.Add($"log {i}: expected {JsonSerializer.Serialize(expected)}, got {JsonSerializer.Serialize(actual)}");
            logged.Add(session);
        }
        var (stored, fromScratch) = await RandomHistory.StaircaseAsync(Host, user.UserId);

        Assert.IsEmpty(mismatches, string.Join('\n', mismatches));
        Assert.IsGreaterThan(10, logged.Count(s => PersonalRecords.NewRecords(logged.Where(h => h.PerformedAt < s.PerformedAt), s).Count > 0),
            "the fixture sets records");
        Assert.AreEqual(fromScratch, stored);
    }
}
