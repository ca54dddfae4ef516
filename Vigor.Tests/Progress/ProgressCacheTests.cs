using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Progress;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Progress;

/// <summary>
/// Computed progress is cached per user and window, and stays exact: the caller's own changes show on their next read,
/// changes made elsewhere once PostgreSQL's notification arrives, and a session logged ahead of time counts from its time.
/// </summary>
[TestClass]
public sealed class ProgressCacheTests
{
    private static TestHost Host => SharedHost.Host;

    private static ProgressCache Cache => Host.Services.GetRequiredService<ProgressCache>();

    private static async Task<JsonElement> ProgressAsync(Session user, int weeks) =>
        await Json(await Host.SendAsync(HttpMethod.Get, $"/api/progress?weeks={weeks}", user.AccessToken), HttpStatusCode.OK);

    private static int SessionsThisWeek(JsonElement progress) =>
        progress.GetProperty("sessionsPerWeek").EnumerateArray().Last().GetProperty("sessions").GetInt32();

    private static object Session(DateTimeOffset at) => new
    {
        performedAt = at, durationMinutes = 45,
        exercises = new[] { Lift("barbell-bench-press", Set(5, 60, 2), Set(5, 60, 2)) },
    };

    private static bool Cached(Session user, int weeks) => Cache.TryGet(user.UserId, weeks, DateTimeOffset.UtcNow, out _);

    /// <summary>
    /// Reads progress until the answer is cached. The notification of the user's own profile change, sent at commit,
    /// may reach the listener just after the first read stored its answer, and rightly drops it; tests of other classes
    /// run alongside and may drop every entry meanwhile (the listener reconnecting).
    /// </summary>
    private static async Task<JsonElement> CachedProgressAsync(Session user, int weeks)
    {
        var progress = default(JsonElement);
        await Eventually.WaitForAsync(async () =>
        {
            progress = await ProgressAsync(user, weeks);
            return Cached(user, weeks);
        }, "the answer is cached");
        return progress;
    }

    [TestMethod]
    public async Task LogAndDelete_ShowOnTheCallersNextRead()
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "intermediate", "barbell", "bench");
        Assert.AreEqual(0, SessionsThisWeek(await CachedProgressAsync(user, 2)));

        var log = await LogAsync(Host, user, Session(DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.AreEqual(1, SessionsThisWeek(await ProgressAsync(user, 2)), "the new session counts at once");

        var deleted = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{log.GetProperty("id").GetString()}", user.AccessToken);
        Assert.AreEqual(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.AreEqual(0, SessionsThisWeek(await ProgressAsync(user, 2)), "and a deleted one stops counting at once");
    }

    [TestMethod]
    public async Task ProfileChangedBySql_AppliesOnceNotified()
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "beginner", "barbell", "bench");
        var before = ChestTargetMin(await CachedProgressAsync(user, 1));

        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE profiles SET fitness_level = 'advanced' WHERE user_id = @id", new { id = user.UserId });

        var after = before;
        await Eventually.WaitForAsync(async () => (after = ChestTargetMin(await ProgressAsync(user, 1))) != before,
            "the level changed in SQL reaches the cached progress");
        Assert.IsGreaterThan(before, after, "an advanced lifter's weekly band is higher");
    }

    [TestMethod]
    public async Task SessionLoggedAhead_CountsFromItsTime()
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "intermediate", "barbell", "bench");
        var now = DateTimeOffset.UtcNow;
        var ahead = now.AddMinutes(4); // within the clock skew a log may be ahead of the server
        await LogAsync(Host, user, Session(ahead));
        var service = Host.Services.GetRequiredService<ProgressService>();

        var beforeIt = await service.SummarizeAsync(user.UserId, 2, now, CancellationToken.None);
        Assert.IsTrue(Cache.TryGet(user.UserId, 2, now.AddMinutes(2), out var served), "the answer holds until the session's time");
        Assert.AreSame(beforeIt, served);
        Assert.IsFalse(Cache.TryGet(user.UserId, 2, ahead, out _), "but not from then on");
        var afterIt = await service.SummarizeAsync(user.UserId, 2, ahead.AddMinutes(1), CancellationToken.None);

        Assert.AreEqual(0, beforeIt!.SessionsPerWeek.Sum(w => w.Sessions), "not yet performed");
        Assert.AreEqual(1, afterIt!.SessionsPerWeek.Sum(w => w.Sessions), "counted once its time has come");
    }

    private static double ChestTargetMin(JsonElement progress) =>
        progress.GetProperty("weeklySets")[0].GetProperty("muscles").EnumerateArray()
            .Single(m => m.GetProperty("muscle").GetString() == "chest").GetProperty("targetMin").GetDouble();
}
