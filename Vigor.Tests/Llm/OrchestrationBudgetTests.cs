using Dapper;
using Npgsql;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Tests.Llm;

/// <summary>
/// The reserve step's "no" through whole orchestrations (product.md, Tiers): over quota → a denial with the reset
/// time (the API's 429); over the user's or the global budget → the offline coach answers for free. In every case no
/// provider hears of the request.
/// </summary>
[TestClass]
public sealed class OrchestrationBudgetTests
{
    private static OrchestrationKit kit = null!;
    private static FakeProvider provider = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await OrchestrationKit.StartAsync("orchbudget");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    [TestInitialize]
    public async Task ResetAsync()
    {
        await kit.ResetAsync();
        provider = await kit.AddProviderAsync("paid", "openai", priority: 10);
    }

    private static Task PreloadAsync(Guid userId, string row, long value)
        => kit.Counters.ApplyAsync(UsageKeys.User(userId), "preload:" + row, [new CounterDelta(row, value)], CancellationToken.None);

    [TestMethod]
    public async Task QuotaExhausted_DeniedWithTheResetTime_NoProviderCalled_NothingCharged()
    {
        var (userId, conversationId) = await kit.AddUserAsync();
        var now = DateTimeOffset.UtcNow;
        await PreloadAsync(userId, UsageKeys.RequestsDay(now), 10);
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);

        Assert.AreEqual(LlmJobResult.Denied, output.Result.Status);
        Assert.AreEqual(nameof(Denial.QuotaDay), output.Result.Denial);
        Assert.AreEqual(UsageWindows.DayResets(now), output.Result.ResetsAt);
        Assert.IsNull(output.Payload);
        Assert.AreEqual(0, provider.Fake.Calls);
        Assert.AreEqual(0, kit.Faults.Runs(nameof(CallModelActivity)));
        Assert.AreEqual((10L, 0L), await kit.UserUsageAsync(userId), "a denied request neither counts nor holds anything");
        Assert.IsEmpty(await kit.LedgerAsync(job.JobId));
        Assert.AreEqual(0, await kit.CountAsync("SELECT count(*) FROM coach_messages WHERE job_id = @id", new { id = job.JobId }));
    }

    [TestMethod]
    public async Task UserBudgetSpent_TheOfflineCoachAnswers_NoProviderCalled()
    {
        var (userId, conversationId) = await kit.AddUserAsync();
        await PreloadAsync(userId, UsageKeys.SpendMonth(DateTimeOffset.UtcNow), 500_000);
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual(LlmJobResult.Answered, output.Result.Status);
        Assert.AreEqual(LlmJobResult.OfflineSource, output.Result.Source);
        Assert.IsFalse(string.IsNullOrWhiteSpace(output.Payload!.Value.GetProperty("reply").GetString()));
        Assert.AreEqual(0, provider.Fake.Calls);
        Assert.AreEqual((1L, 500_000L), await kit.UserUsageAsync(userId), "the request counts; the offline coach costs nothing");
        Assert.HasCount(1, ledger);
        Assert.AreEqual(("offline", "ok", 0m), (ledger[0].ProviderKind, ledger[0].Outcome, ledger[0].CostUsd));
    }

    [TestMethod]
    public async Task GlobalBudgetSpent_TheOfflineCoachAnswers_NoProviderCalled_TheUsersHoldReleased()
    {
        await using (var conn = new NpgsqlConnection(kit.ConnectionString))
            await conn.ExecuteAsync("UPDATE budget_settings SET global_monthly_usd = 0.000100, hard_stop = true");
        var globalBefore = await kit.SpendMonthAsync();
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);

        Assert.AreEqual(LlmJobResult.OfflineSource, output.Result.Source);
        Assert.AreEqual(0, provider.Fake.Calls);
        Assert.AreEqual((1L, 0L), await kit.UserUsageAsync(userId), "the worst case held in the user's budget is given back");
        Assert.AreEqual(globalBefore, await kit.SpendMonthAsync());
        CollectionAssert.AreEqual(new[] { "offline" }, (await kit.LedgerAsync(job.JobId)).Select(l => l.ProviderKind).ToArray());
    }

    [TestMethod]
    public async Task WithinBudget_TheProviderAnswers_AndTheHoldIsReplacedByTheActualCost()
    {
        var (userId, conversationId) = await kit.AddUserAsync();
        var globalBefore = await kit.SpendMonthAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);

        Assert.AreEqual("paid", output.Result.Source);
        Assert.AreEqual(1, provider.Fake.Calls);
        Assert.AreEqual((1L, provider.CallMicros), await kit.UserUsageAsync(userId));
        Assert.AreEqual(globalBefore + provider.CallMicros, await kit.SpendMonthAsync());
        Assert.AreEqual(provider.CallMicros, await kit.SpendMonthAsync(provider.Id), "the provider's cap counter holds the actual cost too");
    }
}
