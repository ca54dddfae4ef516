using System.Collections.Concurrent;
using System.Net;
using Dapper;
using Npgsql;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>
/// Other instances hear of every change to a user's usage on vigor_user_usage: a ledger write of the gateway from the app
/// once it is committed (migration 0019), any other change to the totals from the trigger at commit.
/// </summary>
[TestClass]
public sealed class UsageNotifyTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task GatewayLedgerWrite_IsNotifiedBeforeTheAnswer_WithoutANotifyingCommit()
    {
        var user = await Host.RegisterAsync();
        await using var listener = await ListenAsync();

        var response = await Host.SendAsync(HttpMethod.Post, "/api/coach/messages", user.AccessToken, new { message = "How many sets per week for my back?" });
        await listener.Connection.ExecuteAsync("SELECT 1"); // the notification sent before the answer is read with this round trip

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.IsTrue(listener.Heard(user.UserId), "the app's payload names the user");
        Assert.IsFalse(listener.Payloads.Contains(user.UserId.ToString()), "the ledger insert itself did not notify (no notifying commit)");
    }

    [TestMethod]
    public async Task LedgerRowWrittenBySql_IsNotifiedByTheTrigger()
    {
        var user = await Host.RegisterAsync();
        await using var listener = await ListenAsync();

        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
        {
            await conn.ExecuteAsync("""
                INSERT INTO llm_calls (job_id, attempt, user_id, tier, feature, provider_kind, model, cost_usd, latency_ms, outcome)
                VALUES (@job, 1, @user, 'free', 'coach_chat', 'offline', 'offline', 0, 1, 'ok')
                """, new { job = "sql-" + Guid.NewGuid().ToString("N"), user = user.UserId });
        }

        await Eventually.WaitForAsync(async () =>
        {
            await listener.Connection.ExecuteAsync("SELECT 1");
            return listener.Payloads.Contains(user.UserId.ToString());
        }, "the trigger's notification");
    }

    private static async Task<Listener> ListenAsync()
    {
        var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.OpenAsync();
        var listener = new Listener(conn);
        conn.Notification += (_, e) => listener.Payloads.Add(e.Payload);
        await conn.ExecuteAsync($"LISTEN {UsageCache.UsageChannel}");
        return listener;
    }

    private sealed record Listener(NpgsqlConnection Connection) : IAsyncDisposable
    {
        public ConcurrentBag<string> Payloads { get; } = [];

        // A trigger's payload is the user id; the app's, its origin, a colon and the batch of user ids.
        public bool Heard(Guid userId) => Payloads.Any(p => p.Contains(':') && p[(p.IndexOf(':') + 1)..].Split(',').Contains(userId.ToString()));

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
