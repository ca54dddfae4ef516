using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using Vigor.Core.Progress;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Progress;

/// <summary>
/// Other instances hear of every change to a user's sessions on vigor_user_training: a log posted through the API from the
/// app once it is committed and before the API answers (migration 0016), any other write from the trigger at commit.
/// </summary>
[TestClass]
public sealed class TrainingNotifyTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task LogPosted_IsNotifiedBeforeTheAnswer()
    {
        var user = await Host.RegisterAsync();
        await using var listener = await ListenAsync();

        await LogAsync(Host, user, Log(DateTimeOffset.UtcNow.AddHours(-1), Lift("barbell-bench-press", Set(5, 60, 2))));
        await listener.Connection.ExecuteAsync("SELECT 1"); // the notification sent before the answer is read with this round trip

        Assert.IsTrue(listener.Heard(user.UserId), "the payload names the user");
    }

    [TestMethod]
    public async Task LogChangedBySql_IsNotifiedByTheTrigger()
    {
        var user = await Host.RegisterAsync();
        var log = await LogAsync(Host, user, Log(DateTimeOffset.UtcNow.AddHours(-1), Lift("barbell-bench-press", Set(5, 60, 2))));
        await using var listener = await ListenAsync();

        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE workout_logs SET notes = 'edited' WHERE id = @id", new { id = log.GetProperty("id").GetGuid() });

        await Eventually.WaitForAsync(async () =>
        {
            await listener.Connection.ExecuteAsync("SELECT 1");
            return listener.Heard(user.UserId);
        }, "the trigger's notification");
    }

    private static async Task<Listener> ListenAsync()
    {
        var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.OpenAsync();
        var listener = new Listener(conn);
        conn.Notification += (_, e) => listener.Payloads.Add(e.Payload);
        await conn.ExecuteAsync($"LISTEN {ProgressCache.TrainingChannel}");
        return listener;
    }

    private sealed record Listener(NpgsqlConnection Connection) : IAsyncDisposable
    {
        public ConcurrentBag<string> Payloads { get; } = [];

        // A trigger's payload is the user id; the app's, its origin, a colon and the batch of user ids.
        public bool Heard(Guid userId) => Payloads.Any(p => p[(p.IndexOf(':') + 1)..].Split(',').Contains(userId.ToString()));

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
