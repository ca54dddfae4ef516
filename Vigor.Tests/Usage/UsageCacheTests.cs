using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>
/// <c>me/usage</c> answers are cached per user and stay exact: ledger rows, a tier change or a catalogue change made
/// anywhere (here: plain SQL, as another instance would) apply once PostgreSQL's notification arrives.
/// </summary>
[TestClass]
public sealed class UsageCacheTests
{
    private static TestHost Host => SharedHost.Host;

    private static UsageCache Cache => Host.Services.GetRequiredService<UsageCache>();

    private static async Task<JsonElement> UsageAsync(Session user)
    {
        var response = await Host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>
    /// Reads usage until the answer is cached: tests of other classes run alongside and may drop every entry meanwhile
    /// (a catalogue change, the listener reconnecting), or a late notification about this user may drop the first answer.
    /// </summary>
    private static async Task<JsonElement> CachedUsageAsync(Session user)
    {
        var usage = default(JsonElement);
        await Eventually.WaitForAsync(async () =>
        {
            usage = await UsageAsync(user);
            return Cache.TryGet(user.UserId, 0, DateTimeOffset.UtcNow, out _);
        }, "the answer is cached");
        return usage;
    }

    private static long UsedToday(JsonElement usage) =>
        usage.GetProperty("requests").EnumerateArray().Single(w => w.GetProperty("window").GetString() == "day").GetProperty("used").GetInt64();

    [TestMethod]
    public async Task LedgerRowsWrittenElsewhere_ShowOnceNotified()
    {
        var user = await Host.RegisterAsync();
        Assert.AreEqual(0, UsedToday(await CachedUsageAsync(user)));

        await LedgerFixture.InsertAsync(Host.ConnectionString,
            [new(user.UserId, "free", "coach_chat", LedgerFixture.OpenAi, "openai", 1, 10, 20, 0.01m, false, DateTime.UtcNow)]);

        await Eventually.WaitForAsync(async () => UsedToday(await UsageAsync(user)) == 1, "the ledger row written in SQL counts");
    }

    [TestMethod]
    public async Task TierChangedElsewhere_AppliesOnceNotified()
    {
        var user = await Host.RegisterAsync();
        Assert.AreEqual("free", (await UsageAsync(user)).GetProperty("tier").GetString());

        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE users SET tier = 'premium' WHERE id = @id", new { id = user.UserId });

        await Eventually.WaitForAsync(async () => (await UsageAsync(user)).GetProperty("tier").GetString() == "premium", "the new tier applies");
    }

    [TestMethod]
    public async Task CatalogueChangedElsewhere_DropsEveryAnswer()
    {
        var user = await Host.RegisterAsync();
        await CachedUsageAsync(user);

        // A statement that changes no value still fires the catalogue trigger: the other tests' tiers stay as they are.
        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE tiers SET name = name WHERE name = 'free'");

        await Eventually.WaitForAsync(() => Task.FromResult(!Cache.TryGet(user.UserId, 0, DateTimeOffset.UtcNow, out _)), "every cached answer is dropped");
    }
}
