using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// Cache hits on an entry the instance remembers (LlmCache.Recall): one batch for the job, the quota, the guard, the ledger
/// and the plan. The guard (migration 0025) must stop it whenever the database disagrees with what was remembered.
/// </summary>
public sealed partial class GatewayEndToEndTests
{
    private static async Task<JsonElement> GeneratePlanAsync(Session user)
    {
        var response = await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", user.AccessToken, new { });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body.ToString());
        return body;
    }

    /// <summary>The model's plan fills the cache (and the instance remembers it); the cache starts empty.</summary>
    private static async Task<string> CachedPlanFromTheModelAsync()
    {
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("DELETE FROM llm_cache");
        await AddOpenAiProviderAsync();
        fake.Reply = ValidPlanJson();
        Assert.AreEqual("fake-openai", (await GeneratePlanAsync(await ProfiledUserAsync())).GetProperty("source").GetString());
        await using var read = new NpgsqlConnection(host.ConnectionString);
        return await read.QuerySingleAsync<string>("SELECT key FROM llm_cache");
    }

    /// <summary>The user's counter rows that mark the job's reservation: its quota's marker, and the held row a budget hold writes.</summary>
    private static async Task<(bool QuotaMarker, bool HeldRow)> JobCounterRowsAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var jobId = await conn.QuerySingleAsync<string>("SELECT job_id FROM llm_calls WHERE user_id = @userId", new { userId });
        var rows = (await conn.QueryAsync<string>("SELECT row_key FROM llm_counters WHERE partition = @p AND row_key IN (@m, @h)",
            new { p = UsageKeys.User(userId), m = "op:reserve:" + jobId, h = BudgetGate.HeldRow(jobId) })).ToList();
        return (rows.Contains("op:reserve:" + jobId), rows.Contains(BudgetGate.HeldRow(jobId)));
    }

    [TestMethod]
    public async Task GeneratePlan_RememberedHit_CountsTheQuotaOnce_HoldsNothing_OneLedgerRow()
    {
        await CachedPlanFromTheModelAsync();
        var calls = fake.Calls;
        var user = await ProfiledUserAsync();
        var now = DateTimeOffset.UtcNow;

        var hit = await GeneratePlanAsync(user);
        await host.CountersSettledAsync(); // leased units no request used go back first
        var counters = await host.Services.GetRequiredService<ICounterStore>().GetAsync(
            UsageKeys.User(user.UserId), [UsageKeys.RequestsDay(now), UsageKeys.RequestsMonth(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var stored = await host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{hit.GetProperty("id").GetString()}", user.AccessToken);

        Assert.AreEqual("cache", hit.GetProperty("source").GetString(), hit.ToString());
        Assert.AreEqual("Model plan", hit.GetProperty("name").GetString());
        Assert.AreEqual(calls, fake.Calls);
        Assert.AreEqual(1, counters[UsageKeys.RequestsDay(now)]);
        Assert.AreEqual(1, counters[UsageKeys.RequestsMonth(now)]);
        Assert.AreEqual(0, counters.GetValueOrDefault(UsageKeys.SpendMonth(now)));
        CollectionAssert.AreEqual(new[] { ("cache", "ok") }, (await LedgerAsync(user.UserId)).Select(l => (l.ProviderKind, l.Outcome)).ToArray());
        Assert.AreEqual((true, false), await JobCounterRowsAsync(user.UserId), "the quota took the request and no budget was held");
        Assert.AreEqual(HttpStatusCode.OK, stored.StatusCode, "the plan is saved with the rest");
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var jobId = await conn.QuerySingleAsync<string>("SELECT job_id FROM llm_calls WHERE user_id = @id", new { id = user.UserId });
        var job = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, $"/api/jobs/{jobId}", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual("completed", job.GetProperty("status").GetString()?.ToLowerInvariant(), job.ToString());
    }

    [TestMethod]
    public async Task GeneratePlan_HitOnAnEntryNotRemembered_ReadsIt_ThenRemembersIt()
    {
        var key = await CachedPlanFromTheModelAsync();
        host.Services.GetRequiredService<LlmCache>().Forget(key); // as another instance would find it
        var first = await ProfiledUserAsync();
        var second = await ProfiledUserAsync();

        var read = await GeneratePlanAsync(first);
        var remembered = await GeneratePlanAsync(second);

        Assert.AreEqual("cache", read.GetProperty("source").GetString(), read.ToString());
        Assert.AreEqual("cache", remembered.GetProperty("source").GetString(), remembered.ToString());
        Assert.AreEqual((true, true), await JobCounterRowsAsync(first.UserId), "read with the reservation, which held the worst case");
        Assert.AreEqual((true, false), await JobCounterRowsAsync(second.UserId), "remembered after the read");
    }

    [TestMethod]
    public async Task GeneratePlan_RememberedEntryChangedOrGone_IsNotServed_AndTheStoppedBatchLeavesNothing()
    {
        await CachedPlanFromTheModelAsync();
        var changed = JsonSerializer.Serialize(JsonSerializer.Deserialize<Vigor.Core.Workouts.Plan>(ValidPlanJson(), Vigor.Core.Infrastructure.Http.VigorJson.Options)!
            with { Name = "Changed plan" }, Vigor.Core.Infrastructure.Http.VigorJson.Options);
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("UPDATE llm_cache SET response = jsonb_build_object('text', @changed::text)", new { changed });
        var user = await ProfiledUserAsync();
        var now = DateTimeOffset.UtcNow;

        var afterChange = await GeneratePlanAsync(user);
        await host.CountersSettledAsync(); // leased units no request used go back first
        var requests = (await host.Services.GetRequiredService<ICounterStore>().GetAsync(
            UsageKeys.User(user.UserId), [UsageKeys.RequestsDay(now)], CancellationToken.None))[UsageKeys.RequestsDay(now)];
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("DELETE FROM llm_cache");
        var calls = fake.Calls;
        var afterDelete = await GeneratePlanAsync(await ProfiledUserAsync());

        Assert.AreEqual("cache", afterChange.GetProperty("source").GetString(), afterChange.ToString());
        Assert.AreEqual("Changed plan", afterChange.GetProperty("name").GetString(), "the entry as it is now, not as it was remembered");
        Assert.AreEqual(1, requests, "the stopped batch counted nothing; the request counts once");
        CollectionAssert.AreEqual(new[] { ("cache", "ok") }, (await LedgerAsync(user.UserId)).Select(l => (l.ProviderKind, l.Outcome)).ToArray());
        Assert.AreEqual("fake-openai", afterDelete.GetProperty("source").GetString(), "a deleted entry is a miss");
        Assert.AreEqual(calls + 1, fake.Calls);
    }

    [TestMethod]
    public async Task GeneratePlan_RememberedHit_QuotaFull_Refused_NothingCountedOrWritten()
    {
        await CachedPlanFromTheModelAsync();
        var user = await ProfiledUserAsync();
        var now = DateTimeOffset.UtcNow;
        int perDay;
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            perDay = await conn.QuerySingleAsync<int>("SELECT t.requests_per_day FROM tiers t JOIN users u ON u.tier = t.name WHERE u.id = @id", new { id = user.UserId });
        var counters = host.Services.GetRequiredService<ICounterStore>();
        await counters.ApplyAsync(UsageKeys.User(user.UserId), "test-fill", [new CounterDelta(UsageKeys.RequestsDay(now), perDay)], CancellationToken.None);

        var response = await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", user.AccessToken, new { });
        await host.CountersSettledAsync(); // leased units no request used go back first
        var requests = (await counters.GetAsync(UsageKeys.User(user.UserId), [UsageKeys.RequestsDay(now), UsageKeys.RequestsMonth(now)], CancellationToken.None));

        Assert.AreEqual(HttpStatusCode.TooManyRequests, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual(perDay, requests[UsageKeys.RequestsDay(now)]);
        Assert.AreEqual(0, requests.GetValueOrDefault(UsageKeys.RequestsMonth(now)), "a refused request counts in no window");
        Assert.AreEqual(0, (await LedgerAsync(user.UserId)).Count);
    }
}
