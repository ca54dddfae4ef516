using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// Bursts through the whole local host (HTTP, Durable orchestration, Table Storage counters, PostgreSQL ledger, a real
/// OpenAI SDK client on a loopback fake): the exactness promises of product.md hold however many requests arrive at once.
/// Its own host, because the global budget it sets is global state.
/// </summary>
[TestClass]
public sealed class GatewayConcurrencyTests
{
    private static TestHost host = null!;
    private static FakeLlmServer fake = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("gatewayburst", new Dictionary<string, string?>
        {
            ["Jobs:Wait"] = "00:01:00",
            ["Llm:Breakers:MinimumCalls"] = "1000",
        });
        fake = await FakeLlmServer.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await fake.DisposeAsync();
        await host.DisposeAsync();
    }

    [TestInitialize]
    public async Task ResetAsync()
    {
        fake.Fail(FakeFault.None, 0);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.ExecuteAsync("DELETE FROM llm_providers WHERE kind <> 'offline'; DELETE FROM llm_calls; DELETE FROM provider_breakers;");
    }

    [TestMethod]
    public async Task TwoHundredSimultaneousRequests_FreeQuotaOfTen_ExactlyTenServedByTheModel()
    {
        await AddProviderAsync(inPrice: 0.15m, outPrice: 0.60m);
        var user = await host.RegisterAsync();
        var callsBefore = fake.Calls;

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => AskAsync(user.AccessToken, $"How many sets per week for my chest, question {i}?")));

        var served = results.Where(r => r.Status == HttpStatusCode.OK).ToList();
        var refused = results.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.HasCount(10, served, string.Join(", ", results.Select(r => (int)r.Status).Distinct()));
        Assert.HasCount(190, refused);
        Assert.IsTrue(served.All(r => r.Body.GetProperty("source").GetString() == "burst-openai"), "every admitted request is answered by the model");
        Assert.IsTrue(refused.All(r => r.Body.GetProperty("code").GetString() == "quota_exceeded" && r.RetryAfter > TimeSpan.Zero));
        Assert.AreEqual(10, fake.Calls - callsBefore, "the vendor is called once per admitted request, never for a refused one");
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        Assert.AreEqual(10L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM llm_calls WHERE user_id = @id AND outcome = 'ok'", new { id = user.UserId }));

        var usage = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;
        var day = usage.GetProperty("requests").EnumerateArray().Single(w => w.GetProperty("window").GetString() == "day");
        Assert.AreEqual(10, day.GetProperty("used").GetInt32());
    }

    [TestMethod]
    public async Task HundredSimultaneousRequests_SmallGlobalBudget_SpendNeverExceedsTheBudget()
    {
        // Worst case per request ≈ (≈ 400 input + 512 output tokens) × $100/1M ≈ $0.09; the fake reports 120 + 30 tokens
        // = $0.015. A $0.40 hard budget admits a handful at the worst case; the rest get the offline coach.
        await AddProviderAsync(inPrice: 100m, outPrice: 100m);
        var admin = await host.LoginAdminAsync();
        var put = await host.SendAsync(HttpMethod.Put, "/api/admin/budgets", admin.AccessToken,
            new JsonObject { ["globalMonthlyUsd"] = 0.40m, ["alertThresholds"] = new JsonArray(50, 80, 95, 100), ["hardStop"] = true });
        Assert.AreEqual(HttpStatusCode.OK, put.StatusCode, await put.Content.ReadAsStringAsync());
        var users = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => host.RegisterAsync()));
        var callsBefore = fake.Calls;
        var countedBefore = await GlobalSpendMicrosAsync();

        var results = await Task.WhenAll(users.Select((u, i) => AskAsync(u.AccessToken, $"What should I eat after training, question {i}?")));

        Assert.IsTrue(results.All(r => r.Status == HttpStatusCode.OK), "a free user out of global budget is answered by the offline coach");
        var byModel = results.Count(r => r.Body.GetProperty("source").GetString() == "burst-openai");
        var offline = results.Count(r => r.Body.GetProperty("source").GetString() == "offline");
        Assert.AreEqual(100, byModel + offline);
        Assert.IsGreaterThan(0, byModel, "the budget admits some requests");
        Assert.IsGreaterThan(0, offline, "and refuses the model to the rest");
        Assert.AreEqual(byModel, fake.Calls - callsBefore);

        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var spent = await conn.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(cost_usd), 0) FROM llm_calls");
        Assert.IsLessThanOrEqualTo(0.40m, spent, "nothing is in flight any more, so the recorded spend is within the budget");
        var counted = await GlobalSpendMicrosAsync();
        Assert.IsLessThanOrEqualTo(UsageKeys.ToMicros(0.40m), counted, "the global counter is within the budget too");
        Assert.AreEqual(UsageKeys.ToMicros(spent), counted - countedBefore, "the global counter holds exactly the settled spend: every reservation was replaced");
    }

    private static async Task<long> GlobalSpendMicrosAsync()
    {
        var counters = host.Services.GetRequiredService<ICounterStore>();
        var values = await counters.GetAsync(UsageKeys.Global, [UsageKeys.SpendMonth(DateTimeOffset.UtcNow)], CancellationToken.None);
        return values.Values.Sum();
    }

    private static Task<Guid> AddProviderAsync(decimal inPrice, decimal outPrice)
        => LlmTestKit.AddOpenAiProviderAsync(host, fake, "burst-openai", inPrice, outPrice, timeoutSeconds: 10);

    private static async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan? RetryAfter)> AskAsync(string token, string message)
    {
        using var response = await host.SendAsync(HttpMethod.Post, "/api/coach/messages", token, new { message });
        var text = await response.Content.ReadAsStringAsync();
        await host.SettledAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers.RetryAfter?.Delta);
    }
}
