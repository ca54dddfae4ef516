using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigor.Tests.Llm;
using Vigor.Tests.Support;
using Vigor.Tests.Usage;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Admin;

/// <summary>
/// Tier editing and tier changes, on a host of their own (tiers are global), with AI requests through the gateway to show
/// that enforcement follows a change at once. Tests edit different tiers: free (enforcement), premium (settings).
/// </summary>
[TestClass]
public sealed class AdminTiersTests
{
    private static TestHost host = null!;
    private static FakeLlmServer fake = null!;
    private static Session admin = null!;
    private static Guid provider;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("admintiers", new Dictionary<string, string?> { ["Jobs:Wait"] = "00:00:30" });
        fake = await FakeLlmServer.StartAsync();
        admin = await host.LoginAdminAsync();
        provider = await AiCallKit.AddProviderAsync(host, fake, 2.50m, 10m);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await fake.DisposeAsync();
        await host.DisposeAsync();
    }

    private static JsonObject Tier(int perDay, int perWeek, int perMonth, decimal price = 9.99m, decimal budget = 3m, string modelClass = "standard",
        string[]? features = null, Guid[]? providers = null) => new()
    {
        ["priceUsd"] = price,
        ["requestsPerDay"] = perDay,
        ["requestsPerWeek"] = perWeek,
        ["requestsPerMonth"] = perMonth,
        ["monthlyBudgetUsd"] = budget,
        ["features"] = new JsonArray((features ?? ["coach_chat", "plan_generation"]).Select(f => (JsonNode)f!).ToArray()),
        ["modelClass"] = modelClass,
        ["providerIds"] = new JsonArray((providers ?? [provider]).Select(p => (JsonNode)p.ToString()!).ToArray()),
    };

    private static async Task<Dictionary<string, JsonElement>> AdminTiersAsync()
        => (await AiCallKit.GetJsonAsync(host, "/api/admin/tiers", admin.AccessToken)).EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);

    [TestMethod]
    public async Task ListTiers_EveryTierWithItsAllowedProviders_NotTheOfflineCoach()
    {
        var tiers = await AdminTiersAsync();

        CollectionAssert.AreEqual(new[] { "free", "premium", "unlimited" }, tiers.Keys.ToArray());
        var unlimited = tiers["unlimited"];
        Assert.AreEqual(29.99m, unlimited.GetProperty("priceUsd").GetDecimal());
        Assert.AreEqual(5000, unlimited.GetProperty("requestsPerWeek").GetInt32());
        Assert.AreEqual("premium", unlimited.GetProperty("modelClass").GetString());
        CollectionAssert.AreEqual(new[] { provider.ToString() }, unlimited.GetProperty("providerIds").EnumerateArray().Select(p => p.GetString()).ToArray());
        Assert.AreEqual("fake-openai", unlimited.GetProperty("providers")[0].GetProperty("name").GetString());
    }

    [TestMethod]
    public async Task UpdateTier_Saved_CatalogueAndProviderFollow_Audited()
    {
        var updated = await SendAsync(host, HttpMethod.Put, "/api/admin/tiers/premium", admin.AccessToken,
            Tier(40, 250, 900, price: 12.49m, budget: 4.123456m, features: ["coach_chat", "workout_analysis", "coach_chat"], providers: []));
        var catalogue = JsonDocument.Parse(await (await host.Client.GetAsync("/api/tiers")).Content.ReadAsStringAsync()).RootElement
            .EnumerateArray().Single(t => t.GetProperty("name").GetString() == "premium");
        var providerTiers = (await AiCallKit.GetJsonAsync(host, "/api/admin/providers", admin.AccessToken)).EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == provider.ToString()).GetProperty("tiers").EnumerateArray().Select(t => t.GetString()).ToList();
        var audit = await AuditAsync(host, admin.AccessToken, "tier:premium");

        Assert.AreEqual(HttpStatusCode.OK, updated.Status, updated.Text);
        Assert.AreEqual(12.49m, catalogue.GetProperty("priceUsd").GetDecimal());
        Assert.AreEqual(40, catalogue.GetProperty("requestsPerDay").GetInt32());
        Assert.AreEqual(900, catalogue.GetProperty("requestsPerMonth").GetInt32());
        Assert.AreEqual(4.123456m, catalogue.GetProperty("monthlyBudgetUsd").GetDecimal());
        CollectionAssert.AreEqual(new[] { "coach_chat", "workout_analysis" }, catalogue.GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToArray());
        Assert.AreEqual(0, updated.Body.GetProperty("providerIds").GetArrayLength());
        CollectionAssert.DoesNotContain(providerTiers, "premium");
        CollectionAssert.Contains(providerTiers, "unlimited");
        Assert.AreEqual("tier.update", audit[0].GetProperty("action").GetString());
        Assert.AreEqual(9.99m, audit[0].GetProperty("before").GetProperty("priceUsd").GetDecimal());
        Assert.AreEqual(1, audit[0].GetProperty("before").GetProperty("providerIds").GetArrayLength());
        Assert.AreEqual(12.49m, audit[0].GetProperty("after").GetProperty("priceUsd").GetDecimal());
        Assert.AreEqual(0, audit[0].GetProperty("after").GetProperty("providerIds").GetArrayLength());
    }

    [TestMethod]
    [DataRow("priceUsd", "-1")]
    [DataRow("priceUsd", "1.234")]
    [DataRow("monthlyBudgetUsd", "0.0000001")]
    [DataRow("requestsPerDay", "-5")]
    [DataRow("requestsPerWeek", "10")]
    [DataRow("requestsPerMonth", "4000")]
    [DataRow("modelClass", "\"gold\"")]
    [DataRow("modelClass", "null")]
    [DataRow("features[1]", "[\"coach_chat\", \"teleport\"]")]
    [DataRow("providerIds[0]", "[\"00000000-0000-0000-0000-00000000c0ac\"]")]
    [DataRow("providerIds[0]", "[\"5f1e2c3a-0000-4000-8000-000000000001\"]")]
    [DataRow("providerIds", "null")]
    public async Task UpdateTier_Invalid_BadRequestNamingTheField_NothingChanged(string field, string json)
    {
        var body = Tier(1000, 5000, 20000, price: 29.99m, budget: 12m, modelClass: "premium");
        body[field.Split('[')[0]] = JsonNode.Parse(json);

        var response = await SendAsync(host, HttpMethod.Put, "/api/admin/tiers/unlimited", admin.AccessToken, body);
        var after = (await AdminTiersAsync())["unlimited"];

        Assert.AreEqual(HttpStatusCode.BadRequest, response.Status, response.Text);
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {response.Text}");
        Assert.AreEqual(29.99m, after.GetProperty("priceUsd").GetDecimal());
        Assert.AreEqual(1, after.GetProperty("providerIds").GetArrayLength());
    }

    [TestMethod]
    public async Task UpdateTier_UnknownTier_NotFound()
    {
        var response = await SendAsync(host, HttpMethod.Put, "/api/admin/tiers/platinum", admin.AccessToken, Tier(1, 2, 3));

        Assert.AreEqual(HttpStatusCode.NotFound, response.Status, response.Text);
    }

    [TestMethod]
    public async Task EditedQuota_EnforcedFromTheNextAiRequest_AndShownInMyUsage()
    {
        var user = await host.RegisterAsync();
        var first = await AiCallKit.AskAsync(host, user, "How many rest days a week?");

        var saved = await SendAsync(host, HttpMethod.Put, "/api/admin/tiers/free", admin.AccessToken, Tier(2, 50, 200, price: 0, budget: 0.5m, modelClass: "economy"));
        var second = await AiCallKit.AskAsync(host, user, "And how long should I sleep?");
        var third = await AiCallKit.AskAsync(host, user, "One more question?");
        var usage = await AiCallKit.GetJsonAsync(host, "/api/me/usage", user.AccessToken);

        Assert.AreEqual(HttpStatusCode.OK, first.Status, first.Body.ToString());
        Assert.AreEqual(HttpStatusCode.OK, saved.Status, saved.Text);
        Assert.AreEqual(HttpStatusCode.OK, second.Status, second.Body.ToString());
        Assert.AreEqual(HttpStatusCode.TooManyRequests, third.Status, third.Body.ToString());
        Assert.AreEqual("quota_exceeded", third.Body.GetProperty("code").GetString());
        Assert.AreEqual(2, usage.GetProperty("requests")[0].GetProperty("used").GetInt64());
        Assert.AreEqual(2, usage.GetProperty("requests")[0].GetProperty("limit").GetInt64());
    }

    [TestMethod]
    public async Task UserTierChange_TheNextAiRequestRunsOnTheNewTier()
    {
        var user = await host.RegisterAsync();
        await AiCallKit.AskAsync(host, user, "What should I eat before training?");

        var changed = await SendAsync(host, HttpMethod.Put, $"/api/admin/users/{user.UserId}/tier", admin.AccessToken, new JsonObject { ["tier"] = "unlimited" });
        var answer = await AiCallKit.AskAsync(host, user, "And after training?");
        var ledger = await AiCallKit.LedgerAsync(host, user.UserId);
        var usage = await AiCallKit.GetJsonAsync(host, "/api/me/usage", user.AccessToken);

        Assert.AreEqual(HttpStatusCode.OK, changed.Status, changed.Text);
        Assert.AreEqual(HttpStatusCode.OK, answer.Status, answer.Body.ToString());
        CollectionAssert.AreEqual(new[] { "free", "unlimited" }, ledger.Select(l => l.Tier).ToArray());
        Assert.AreEqual("unlimited", usage.GetProperty("tier").GetString());
        Assert.AreEqual(1000, usage.GetProperty("requests")[0].GetProperty("limit").GetInt64());
        Assert.AreEqual(2, usage.GetProperty("requests")[0].GetProperty("used").GetInt64());
    }
}
