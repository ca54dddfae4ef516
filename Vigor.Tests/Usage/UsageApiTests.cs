using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task MyUsage_ReflectsLiveCounters()
    {
        var user = await Host.RegisterAsync();
        var counters = Host.Services.GetRequiredService<CounterStore>();
        var now = DateTimeOffset.UtcNow;
        await counters.ApplyAsync(UsageKeys.User(user.UserId), "test-1",
            [new CounterDelta(UsageKeys.RequestsDay(now), 3), new CounterDelta(UsageKeys.RequestsWeek(now), 3),
             new CounterDelta(UsageKeys.RequestsMonth(now), 3), new CounterDelta(UsageKeys.SpendMonth(now), 123_456)], CancellationToken.None);

        var usage = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual("free", usage.GetProperty("tier").GetString());
        var day = usage.GetProperty("requests")[0];
        Assert.AreEqual("day", day.GetProperty("window").GetString());
        Assert.AreEqual(3, day.GetProperty("used").GetInt64());
        Assert.AreEqual(10, day.GetProperty("limit").GetInt64());
        Assert.AreEqual(0.123456m, usage.GetProperty("budget").GetProperty("spentUsd").GetDecimal());
        Assert.AreEqual(0.5m, usage.GetProperty("budget").GetProperty("limitUsd").GetDecimal());
    }
}
