using System.Net;
using System.Text.Json;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

[TestClass]
public sealed class UsageApiTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task Tiers_AnonymousCatalogue_HasProductDefaults()
    {
        var response = await Host.Client.GetAsync("/api/tiers");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var tiers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!);
        CollectionAssert.AreEqual(new[] { "free", "premium", "unlimited" }, tiers.Keys.ToArray());
        Assert.AreEqual(10, tiers["free"].GetProperty("requestsPerDay").GetInt32());
        Assert.AreEqual(0.50m, tiers["free"].GetProperty("monthlyBudgetUsd").GetDecimal());
        Assert.AreEqual(9.99m, tiers["premium"].GetProperty("priceUsd").GetDecimal());
        Assert.AreEqual(20000, tiers["unlimited"].GetProperty("requestsPerMonth").GetInt32());
        Assert.IsFalse(tiers["free"].GetProperty("features").EnumerateArray().Any(f => f.GetString() == Features.WorkoutAnalysis));
    }

    [TestMethod]
    public async Task MyUsage_SumsTheCallersLedgerRowsOfTheWindows_ExactToTheMicroDollar()
    {
        var user = await Host.RegisterAsync();
        var other = await Host.RegisterAsync();
        var now = DateTime.UtcNow.AddMinutes(-1);
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var fallback = Guid.NewGuid().ToString("N");
        await LedgerFixture.InsertAsync(Host.ConnectionString,
        [
            Row(user.UserId, 1, 0.000275m, now),
            Row(user.UserId, 1, 0.012345m, now, fallback),
            Row(user.UserId, 2, 0.000001m, now, fallback),
            Row(user.UserId, 0, 0m, now, cacheHit: true),
            Row(user.UserId, 1, 0.100000m, monthStart.AddDays(-8)),
            Row(other.UserId, 1, 0.2m, now),
        ]);

        var usage = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual("free", usage.GetProperty("tier").GetString());
        var windows = usage.GetProperty("requests").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { "day", "week", "month" }, windows.Select(w => w.GetProperty("window").GetString()).ToArray());
        CollectionAssert.AreEqual(new long[] { 3, 3, 3 }, windows.Select(w => w.GetProperty("used").GetInt64()).ToArray(), "a fallback attempt is not another request");
        CollectionAssert.AreEqual(new long[] { 10, 50, 200 }, windows.Select(w => w.GetProperty("limit").GetInt64()).ToArray());
        Assert.AreEqual(0.012621m, usage.GetProperty("budget").GetProperty("spentUsd").GetDecimal());
        Assert.AreEqual(0.5m, usage.GetProperty("budget").GetProperty("limitUsd").GetDecimal());
        Assert.AreEqual(monthStart.AddMonths(1), usage.GetProperty("budget").GetProperty("resetsAt").GetDateTimeOffset().UtcDateTime);
    }

    private static LedgerFixtureRow Row(Guid user, int attempt, decimal cost, DateTime at, string? job = null, bool cacheHit = false)
        => new(user, "free", Features.CoachChat, cacheHit ? null : LedgerFixture.OpenAi, cacheHit ? "cache" : "openai", attempt, 100, 50, cost, cacheHit, at, job);
}
