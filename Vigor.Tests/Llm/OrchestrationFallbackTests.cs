using System.Diagnostics;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Tests.Llm;

/// <summary>
/// <see cref="LlmOrchestrator"/> on Durable's test host with the real activities: candidates tried in priority order,
/// each failure recorded in the ledger in order, transient failures retried within the provider's bounds.
/// </summary>
[TestClass]
public sealed class OrchestrationFallbackTests
{
    private const int MaxRetries = 2;
    private static OrchestrationKit kit = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await OrchestrationKit.StartAsync("orchfallback", new Dictionary<string, string?>
        {
            ["Llm:Retry:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llm:Retry:MaxRetryAfter"] = "00:00:05",
            // These tests are about fallback and retries: keep the breakers out of the way.
            ["Llm:Breakers:MinimumCalls"] = "1000",
        });
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    [TestInitialize]
    public Task ResetAsync() => kit.ResetAsync();

    [TestMethod]
    public async Task Fallback_FirstTwoFailDifferently_TheThirdAnswers_AndTheLedgerShowsEveryAttemptInOrder()
    {
        // Inserted out of order: priority, not insertion, decides.
        var third = await kit.AddProviderAsync("third-openai", "openai", priority: 30);
        var first = await kit.AddProviderAsync("first-openai", "openai", priority: 10);
        var second = await kit.AddProviderAsync("second-anthropic", "anthropic", priority: 20);
        first.Fake.Fail(FakeFault.ServerError);
        second.Fake.Fail(FakeFault.ErrorBody);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual(LlmJobResult.Answered, output.Result.Status);
        Assert.AreEqual("third-openai", output.Result.Source);
        Assert.AreEqual(FakeLlmServer.ReplyText, output.Result.Text);
        Assert.AreEqual(3, output.Result.Attempts);
        Assert.AreEqual(FakeLlmServer.ReplyText, output.Payload!.Value.GetProperty("reply").GetString());
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, ledger.Select(l => l.Attempt).ToArray());
        CollectionAssert.AreEqual(new Guid?[] { first.Id, second.Id, third.Id }, ledger.Select(l => l.ProviderId).ToArray());
        CollectionAssert.AreEqual(new[] { "server_error", "error_body", "ok" }, ledger.Select(l => l.Outcome).ToArray());
        CollectionAssert.AreEqual(new[] { "openai", "anthropic", "openai" }, ledger.Select(l => l.ProviderKind).ToArray());
        Assert.AreEqual(third.CallMicros / 1_000_000m, ledger[2].CostUsd);
        Assert.AreEqual(third.CallMicros / 1_000_000m, output.Result.CostUsd);
        Assert.AreEqual(1 + MaxRetries, first.Fake.Calls, "a 500 is transient: retried up to the bound, then the next candidate");
        Assert.AreEqual(1, second.Fake.Calls, "a 200 with an error body is not retried");
        Assert.AreEqual(1, third.Fake.Calls);
    }

    [TestMethod]
    public async Task Fallback_EveryProviderFails_TheOfflineCoachAnswers_AtNoCost()
    {
        var only = await kit.AddProviderAsync("failing-openai", "openai", priority: 10);
        only.Fake.Fail(FakeFault.MalformedJson);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual(LlmJobResult.OfflineSource, output.Result.Source);
        Assert.IsFalse(string.IsNullOrWhiteSpace(output.Result.Text));
        Assert.AreEqual(0m, output.Result.CostUsd);
        CollectionAssert.AreEqual(new[] { "malformed", "ok" }, ledger.Select(l => l.Outcome).ToArray());
        Assert.AreEqual("offline", ledger[1].ProviderKind);
    }

    [TestMethod]
    public async Task Retry_429WithRetryAfter1_TheSameProviderAnswersAfterOneRetry_AfterWaitingItOut()
    {
        var primary = await kit.AddProviderAsync("primary", "openai", priority: 10);
        var backup = await kit.AddProviderAsync("backup", "openai", priority: 20);
        primary.Fake.Fail(FakeFault.RateLimited, times: 1, retryAfterSeconds: 1);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var watch = Stopwatch.StartNew();
        var (output, _) = await kit.RunAsync(job);
        watch.Stop();
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual("primary", output.Result.Source);
        Assert.AreEqual(2, primary.Fake.Calls, "one 429, one retry");
        Assert.AreEqual(0, backup.Fake.Calls);
        Assert.HasCount(1, ledger);
        Assert.AreEqual("ok", ledger[0].Outcome);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), watch.Elapsed, "the Retry-After of 1 s is waited out before the retry");
    }

    [TestMethod]
    public async Task Retry_500BeyondTheRetryBudget_MovesToTheNextCandidate_AfterExactlyTheBoundedRetries()
    {
        var primary = await kit.AddProviderAsync("primary", "openai", priority: 10);
        var backup = await kit.AddProviderAsync("backup", "anthropic", priority: 20);
        primary.Fake.Fail(FakeFault.ServerError, times: MaxRetries + 5);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual("backup", output.Result.Source);
        Assert.AreEqual(1 + MaxRetries, primary.Fake.Calls);
        Assert.AreEqual(1, backup.Fake.Calls);
        CollectionAssert.AreEqual(new[] { "server_error", "ok" }, ledger.Select(l => l.Outcome).ToArray());
    }

    [TestMethod]
    public async Task Retry_RetryAfterLongerThanTheBound_GivesUpAtOnce_AndFallsBack()
    {
        var primary = await kit.AddProviderAsync("primary", "openai", priority: 10);
        var backup = await kit.AddProviderAsync("backup", "openai", priority: 20);
        primary.Fake.Fail(FakeFault.RateLimited, retryAfterSeconds: 120);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual("backup", output.Result.Source);
        Assert.AreEqual(1, primary.Fake.Calls, "a vendor asking for 2 minutes is not waited for");
        CollectionAssert.AreEqual(new[] { "rate_limited", "ok" }, ledger.Select(l => l.Outcome).ToArray());
    }

    [TestMethod]
    public async Task Replay_TheOrchestrationIsReplayedAfterEveryActivity_ButEachProviderIsCalledOncePerAttempt()
    {
        var first = await kit.AddProviderAsync("first", "openai", priority: 10);
        var second = await kit.AddProviderAsync("second", "openai", priority: 20);
        first.Fake.Fail(FakeFault.BadRequest);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);

        // Route, reserve, two calls, settle, complete: six activities, so the orchestrator ran (replayed its history) seven times.
        Assert.IsGreaterThanOrEqualTo(7, kit.Faults.Runs(nameof(LlmOrchestrator)));
        Assert.AreEqual(2, output.Result.Attempts);
        Assert.AreEqual(2, kit.Faults.Runs(nameof(CallModelActivity)));
        Assert.AreEqual(1, first.Fake.Calls);
        Assert.AreEqual(1, second.Fake.Calls);
        Assert.AreEqual(1, kit.Faults.Runs(nameof(SettleLlmActivity)));
        Assert.AreEqual(1, kit.Faults.Runs(nameof(CompleteLlmJobActivity)));
        Assert.AreEqual("second", output.Result.Source);
    }
}
