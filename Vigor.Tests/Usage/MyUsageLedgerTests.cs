using System.Net;
using Vigor.Tests.Llm;
using Vigor.Tests.Support;
using static Vigor.Tests.Usage.AiCallKit;

namespace Vigor.Tests.Usage;

/// <summary><c>GET me/usage</c> after real AI requests through the gateway: the numbers equal the ledger's.</summary>
[TestClass]
public sealed class MyUsageLedgerTests
{
    private static TestHost host = null!;
    private static FakeLlmServer fake = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("myusage", new Dictionary<string, string?> { ["Jobs:Wait"] = "00:00:30" });
        fake = await FakeLlmServer.StartAsync();
        await AddProviderAsync(host, fake, inPrice: 2.50m, outPrice: 10m);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await fake.DisposeAsync();
        await host.DisposeAsync();
    }

    [TestMethod]
    public async Task MyUsage_AfterAiCalls_SpentEqualsTheLedgerSum_WindowsCountTheRequests()
    {
        var user = await host.RegisterAsync();
        var other = await host.RegisterAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add((await AskAsync(host, user, $"How do I brace for a deadlift, take {i}?")).Status);
        fake.Fail(FakeFault.ServerError);
        statuses.Add((await AskAsync(host, user, "What if my provider is down?")).Status);
        fake.Fail(FakeFault.None, 0);
        statuses.Add((await AskAsync(host, other, "Someone else's question")).Status);

        var usage = await GetJsonAsync(host, "/api/me/usage", user.AccessToken);
        var ledger = await LedgerAsync(host, user.UserId);

        Assert.IsTrue(statuses.All(s => s == HttpStatusCode.OK), string.Join(", ", statuses));
        // Three answers at the vendor's reported usage; the failed call then the offline coach cost nothing.
        var expected = 3 * (FakeLlmServer.InputTokens * 2.50m + FakeLlmServer.OutputTokens * 10m) / 1_000_000m;
        Assert.AreEqual(5, ledger.Count, "four requests, one of them with a fallback attempt");
        Assert.AreEqual(expected, ledger.Sum(l => l.Cost));
        Assert.AreEqual(expected, usage.GetProperty("budget").GetProperty("spentUsd").GetDecimal());
        Assert.AreEqual(0.5m, usage.GetProperty("budget").GetProperty("limitUsd").GetDecimal());
        var windows = usage.GetProperty("requests").EnumerateArray().ToDictionary(w => w.GetProperty("window").GetString()!, w => w.GetProperty("used").GetInt64());
        Assert.AreEqual(4, windows["day"]);
        Assert.AreEqual(4, windows["week"]);
        Assert.AreEqual(4, windows["month"]);
    }

    [TestMethod]
    public async Task MyUsage_ReadBetweenAiCalls_CountsEachCallAtOnce()
    {
        var user = await host.RegisterAsync();
        for (var i = 1; i <= 3; i++)
        {
            await GetJsonAsync(host, "/api/me/usage", user.AccessToken); // cached between the calls
            Assert.AreEqual(HttpStatusCode.OK, (await AskAsync(host, user, $"How long should I rest between sets, take {i}?")).Status);
            var usage = await GetJsonAsync(host, "/api/me/usage", user.AccessToken);
            var day = usage.GetProperty("requests").EnumerateArray().Single(w => w.GetProperty("window").GetString() == "day");
            Assert.AreEqual(i, day.GetProperty("used").GetInt64(), "the ledger write drops the cached answer before the request answers");
        }
    }
}
