using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Tests.Llm;

/// <summary>
/// A provider's circuit breaker through whole orchestrations, on a clock the test moves: closed and failing → open
/// (skipped, never called) → after the cooldown exactly one half-open probe however many requests arrive → a
/// failed probe re-opens it, a successful one closes it and the traffic comes back.
/// </summary>
[TestClass]
public sealed class OrchestrationBreakerTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);
    private static OrchestrationKit kit = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await OrchestrationKit.StartAsync("orchbreaker", new Dictionary<string, string?>
        {
            ["Llm:Breakers:MinimumCalls"] = "3",
            ["Llm:Breakers:FailureRate"] = "0.5",
            ["Llm:Breakers:Cooldown"] = "00:00:30",
            ["Llm:Breakers:Window"] = "00:10:00",
            // One HTTP call per attempt, so the vendor's request count is the number of attempts (and no retry waits on the fake clock).
            ["Llm:Retry:MaxRetries"] = "0",
        }, Clock);
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    private static async Task<BreakerState> StateAsync(FakeProvider provider)
        => (await kit.Services.GetRequiredService<CircuitBreakers>().GetAsync(CancellationToken.None)).TryGetValue(provider.Id, out var s) ? s.State : BreakerState.Closed;

    private static async Task<List<LlmJobOutput>> AskAsync(int count, bool together = false)
    {
        var (userId, conversationId) = await kit.AddUserAsync("unlimited");
        var jobs = Enumerable.Range(0, count).Select(_ => OrchestrationKit.CoachJob(userId, conversationId, tier: "unlimited")).ToList();
        if (together)
            return [.. (await Task.WhenAll(jobs.Select(kit.RunAsync))).Select(r => r.Output)];
        var outputs = new List<LlmJobOutput>();
        foreach (var job in jobs)
            outputs.Add((await kit.RunAsync(job)).Output);
        return outputs;
    }

    [TestMethod]
    public async Task Breaker_OpenSkipsTheProvider_HalfOpenLetsExactlyOneProbeThrough_ASuccessfulProbeClosesIt()
    {
        await kit.ResetAsync();
        var primary = await kit.AddProviderAsync("primary", "openai", priority: 10);
        var backup = await kit.AddProviderAsync("backup", "anthropic", priority: 20);
        primary.Fake.Fail(FakeFault.ServerError);

        // Closed while it fails: every request tries it first, then falls back.
        var failing = await AskAsync(3);
        Assert.IsTrue(failing.All(o => o.Result.Source == "backup" && o.Result.Attempts == 2));
        Assert.AreEqual(3, primary.Fake.Calls);
        Assert.AreEqual(BreakerState.Open, await StateAsync(primary), "3 calls (the minimum), all failed");

        // Open: skipped without a call, straight to the backup.
        var skipped = await AskAsync(3);
        Assert.IsTrue(skipped.All(o => o.Result.Source == "backup" && o.Result.Attempts == 1));
        Assert.AreEqual(3, primary.Fake.Calls, "an open breaker sends nothing to the provider");

        // Cooldown over: half-open. Five requests at once; exactly one wins the probe. It fails: open again.
        Clock.Advance(Cooldown + TimeSpan.FromSeconds(1));
        Assert.AreEqual(BreakerState.HalfOpen, await StateAsync(primary));
        var probing = await AskAsync(5, together: true);
        Assert.IsTrue(probing.All(o => o.Result.Source == "backup"));
        Assert.AreEqual(4, primary.Fake.Calls, "one probe, however many requests were routed while half-open");
        Assert.AreEqual(1, probing.Count(o => o.Result.Attempts == 2));
        Assert.AreEqual(BreakerState.Open, await StateAsync(primary), "a failed probe re-opens the breaker for another cooldown");
        await AskAsync(2);
        Assert.AreEqual(4, primary.Fake.Calls);

        // The vendor recovers; after the next cooldown one probe goes through, succeeds and closes the breaker.
        primary.Fake.Fail(FakeFault.None, 0);
        Clock.Advance(Cooldown + TimeSpan.FromSeconds(1));
        var probe = await AskAsync(1);
        Assert.AreEqual("primary", probe[0].Result.Source);
        Assert.AreEqual(5, primary.Fake.Calls);
        Assert.AreEqual(BreakerState.Closed, await StateAsync(primary));

        // Closed: the traffic is back on the primary.
        var backupCalls = backup.Fake.Calls;
        var back = await AskAsync(4, together: true);
        Assert.IsTrue(back.All(o => o.Result.Source == "primary" && o.Result.Attempts == 1));
        Assert.AreEqual(9, primary.Fake.Calls);
        Assert.AreEqual(backupCalls, backup.Fake.Calls);
    }

    [TestMethod]
    public async Task Breaker_StaysClosedBelowTheMinimumCount_AndAfterTheWindowForgetsOldFailures()
    {
        await kit.ResetAsync();
        var primary = await kit.AddProviderAsync("primary", "openai", priority: 10);
        await kit.AddProviderAsync("backup", "openai", priority: 20);
        primary.Fake.Fail(FakeFault.ServerError, times: 2);

        await AskAsync(2);
        Assert.AreEqual(BreakerState.Closed, await StateAsync(primary), "2 failures are below the minimum of 3");
        primary.Fake.Fail(FakeFault.ServerError, times: 1);
        await AskAsync(1);
        Assert.AreEqual(BreakerState.Open, await StateAsync(primary));

        // Past the sliding window the failures no longer count, even without a probe.
        Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.AreEqual(BreakerState.Closed, await StateAsync(primary));
        var answered = await AskAsync(1);
        Assert.AreEqual("primary", answered[0].Result.Source);
    }
}
