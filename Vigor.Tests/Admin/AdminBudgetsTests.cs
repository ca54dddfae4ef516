using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Usage;
using Vigor.Tests.Support;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Admin;

/// <summary>Budget settings and the audit log's paging, on a host of their own (the budget is global).</summary>
[TestClass]
public sealed class AdminBudgetsTests
{
    private static TestHost host = null!;
    private static Session admin = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("adminbudgets");
        admin = await host.LoginAdminAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    private static JsonObject Budget(decimal usd, int[] thresholds, bool hardStop)
        => new() { ["globalMonthlyUsd"] = usd, ["alertThresholds"] = new JsonArray(thresholds.Select(t => (JsonNode)t).ToArray()), ["hardStop"] = hardStop };

    [TestMethod]
    public async Task Budgets_GetThenUpdate_SavedSpendShownAndAudited()
    {
        var now = DateTimeOffset.UtcNow;
        await host.Services.GetRequiredService<ICounterStore>().ApplyAsync(UsageKeys.Global, "test-spend-" + Guid.NewGuid(),
            [new CounterDelta(UsageKeys.SpendMonth(now), 1_250_000)], CancellationToken.None);
        var capped = await CreateAsync(host, admin.AccessToken, Body(UniqueName("capped")));

        var initial = await SendAsync(host, HttpMethod.Get, "/api/admin/budgets", admin.AccessToken);
        var updated = await SendAsync(host, HttpMethod.Put, "/api/admin/budgets", admin.AccessToken, Budget(750.5m, [25, 75, 100], false));
        var reread = await SendAsync(host, HttpMethod.Get, "/api/admin/budgets", admin.AccessToken);
        var audit = await AuditAsync(host, admin.AccessToken, "budgets");

        Assert.AreEqual(HttpStatusCode.OK, initial.Status, initial.Text);
        Assert.AreEqual(500m, initial.Body.GetProperty("globalMonthlyUsd").GetDecimal());
        CollectionAssert.AreEqual(new[] { 50, 80, 95, 100 }, initial.Body.GetProperty("alertThresholds").EnumerateArray().Select(t => t.GetInt32()).ToArray());
        Assert.IsTrue(initial.Body.GetProperty("hardStop").GetBoolean());
        Assert.AreEqual(1.25m, initial.Body.GetProperty("spentThisMonthUsd").GetDecimal());
        var cap = initial.Body.GetProperty("providerCaps").EnumerateArray().Single(p => p.GetProperty("id").GetString() == capped.GetProperty("id").GetString());
        Assert.AreEqual(5m, cap.GetProperty("dailyCapUsd").GetDecimal());
        Assert.AreEqual(HttpStatusCode.OK, updated.Status, updated.Text);
        Assert.AreEqual(750.5m, reread.Body.GetProperty("globalMonthlyUsd").GetDecimal());
        CollectionAssert.AreEqual(new[] { 25, 75, 100 }, reread.Body.GetProperty("alertThresholds").EnumerateArray().Select(t => t.GetInt32()).ToArray());
        Assert.IsFalse(reread.Body.GetProperty("hardStop").GetBoolean());
        var entry = audit.First();
        Assert.AreEqual("budgets.update", entry.GetProperty("action").GetString());
        Assert.AreEqual(admin.UserId.ToString(), entry.GetProperty("actorId").GetString());
        Assert.AreEqual(500m, entry.GetProperty("before").GetProperty("globalMonthlyUsd").GetDecimal());
        Assert.AreEqual(750.5m, entry.GetProperty("after").GetProperty("globalMonthlyUsd").GetDecimal());
        Assert.IsFalse(entry.GetProperty("after").GetProperty("hardStop").GetBoolean());
    }

    [TestMethod]
    [DataRow("{\"globalMonthlyUsd\":-1,\"alertThresholds\":[50],\"hardStop\":true}", "globalMonthlyUsd")]
    [DataRow("{\"globalMonthlyUsd\":1000001,\"alertThresholds\":[50],\"hardStop\":true}", "globalMonthlyUsd")]
    [DataRow("{\"alertThresholds\":[50],\"hardStop\":true}", "globalMonthlyUsd")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[],\"hardStop\":true}", "alertThresholds")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[1,2,3,4,5,6,7,8,9,10,11],\"hardStop\":true}", "alertThresholds")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[80,50],\"hardStop\":true}", "alertThresholds[1]")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[50,50],\"hardStop\":true}", "alertThresholds[1]")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[0,50],\"hardStop\":true}", "alertThresholds[0]")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[50,101],\"hardStop\":true}", "alertThresholds[1]")]
    [DataRow("{\"globalMonthlyUsd\":100,\"alertThresholds\":[50]}", "hardStop")]
    public async Task UpdateBudgets_Invalid_BadRequestNamingTheField_NothingChanged(string json, string field)
    {
        var before = (await SendAsync(host, HttpMethod.Get, "/api/admin/budgets", admin.AccessToken)).Body.GetProperty("globalMonthlyUsd").GetDecimal();

        var response = await SendAsync(host, HttpMethod.Put, "/api/admin/budgets", admin.AccessToken, JsonNode.Parse(json));
        var after = (await SendAsync(host, HttpMethod.Get, "/api/admin/budgets", admin.AccessToken)).Body.GetProperty("globalMonthlyUsd").GetDecimal();

        Assert.AreEqual(HttpStatusCode.BadRequest, response.Status, response.Text);
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {response.Text}");
        Assert.AreEqual(before, after);
    }

    [TestMethod]
    public async Task Audit_PagesNewestFirst_AndFiltersByAction()
    {
        for (var usd = 101; usd <= 105; usd++)
            await SendAsync(host, HttpMethod.Put, "/api/admin/budgets", admin.AccessToken, Budget(usd, [50, 100], true));
        await CreateAsync(host, admin.AccessToken, Body(UniqueName("noise")));

        var first = await SendAsync(host, HttpMethod.Get, "/api/admin/audit?action=budgets.update&limit=3", admin.AccessToken);
        var cursor = first.Body.GetProperty("nextCursor").GetString();
        var second = await SendAsync(host, HttpMethod.Get, $"/api/admin/audit?action=budgets.update&limit=3&cursor={cursor}", admin.AccessToken);
        var all = first.Body.GetProperty("items").EnumerateArray().Concat(second.Body.GetProperty("items").EnumerateArray()).ToList();
        var badAction = await SendAsync(host, HttpMethod.Get, "/api/admin/audit?action=DROP%20TABLE", admin.AccessToken);

        Assert.HasCount(3, first.Body.GetProperty("items").EnumerateArray().ToList());
        Assert.IsTrue(all.All(e => e.GetProperty("action").GetString() == "budgets.update"));
        CollectionAssert.AreEqual(new[] { 105m, 104m, 103m, 102m, 101m },
            all.Take(5).Select(e => e.GetProperty("after").GetProperty("globalMonthlyUsd").GetDecimal()).ToArray());
        var ids = all.Select(e => e.GetProperty("id").GetInt64()).ToList();
        CollectionAssert.AreEqual(ids.OrderDescending().ToList(), ids);
        Assert.AreEqual(HttpStatusCode.BadRequest, badAction.Status);
    }
}
