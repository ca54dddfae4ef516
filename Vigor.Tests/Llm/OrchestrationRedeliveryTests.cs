using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Tests.Llm;

/// <summary>
/// Durable runs activities at least once. Here they run twice, and crash before or after their work, on purpose:
/// the request is counted once, the reservation is neither lost nor doubled, the ledger has one row per attempt, the
/// stored reply is written once, and the job's result is what a clean run gives. Exact counter values, not bounds.
/// </summary>
[TestClass]
public sealed class OrchestrationRedeliveryTests
{
    private static OrchestrationKit kit = null!;
    private static FakeProvider provider = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await OrchestrationKit.StartAsync("orchredelivery");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    [TestInitialize]
    public async Task ResetAsync()
    {
        await kit.ResetAsync();
        provider = await kit.AddProviderAsync("paid", "openai", priority: 10);
    }

    /// <summary>Runs a coach job and checks the books: one request, the actual cost charged once everywhere, one ledger row, one stored reply.</summary>
    private static async Task<LlmJobOutput> RunAndCheckTheBooksAsync(int expectedVendorCalls)
    {
        var (userId, conversationId) = await kit.AddUserAsync();
        var globalBefore = await kit.SpendMonthAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);

        Assert.AreEqual("paid", output.Result.Source);
        Assert.AreEqual(FakeLlmServer.ReplyText, output.Result.Text);
        Assert.AreEqual(provider.CallMicros / 1_000_000m, output.Result.CostUsd);
        Assert.AreEqual(1, output.Result.Attempts);
        Assert.AreEqual(expectedVendorCalls, provider.Fake.Calls);
        Assert.AreEqual((1L, provider.CallMicros), await kit.UserUsageAsync(userId));
        Assert.AreEqual(globalBefore + provider.CallMicros, await kit.SpendMonthAsync());
        Assert.AreEqual(provider.CallMicros, await kit.SpendMonthAsync(provider.Id));
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM llm_calls WHERE job_id = @id", new { id = job.JobId }));
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM coach_messages WHERE job_id = @id AND content = @reply",
            new { id = job.JobId, reply = FakeLlmServer.ReplyText }));
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM coach_messages WHERE job_id = @id", new { id = job.JobId }));
        return output;
    }

    [TestMethod]
    public async Task EveryBookkeepingActivityRunsTwice_TheBooksAreThoseOfOneRun()
    {
        foreach (var activity in new[] { nameof(RouteLlmActivity), nameof(ReserveBudgetActivity), nameof(SettleLlmActivity), nameof(CompleteLlmJobActivity) })
            kit.Faults.Set(activity, ActivityFault.RunTwice, times: 1);

        var output = await RunAndCheckTheBooksAsync(expectedVendorCalls: 1);

        Assert.AreEqual(2, kit.Faults.Runs(nameof(ReserveBudgetActivity)));
        Assert.AreEqual(2, kit.Faults.Runs(nameof(SettleLlmActivity)));
        Assert.AreEqual(2, kit.Faults.Runs(nameof(CompleteLlmJobActivity)));
        Assert.AreEqual(FakeLlmServer.ReplyText, output.Payload!.Value.GetProperty("reply").GetString());
    }

    [TestMethod]
    [DataRow(nameof(ReserveBudgetActivity), nameof(ActivityFault.CrashAfter), 1)]
    [DataRow(nameof(ReserveBudgetActivity), nameof(ActivityFault.CrashBefore), 1)]
    [DataRow(nameof(CallModelActivity), nameof(ActivityFault.CrashAfter), 2)]
    [DataRow(nameof(CallModelActivity), nameof(ActivityFault.CrashBefore), 1)]
    [DataRow(nameof(SettleLlmActivity), nameof(ActivityFault.CrashAfter), 1)]
    [DataRow(nameof(SettleLlmActivity), nameof(ActivityFault.CrashBefore), 1)]
    [DataRow(nameof(CompleteLlmJobActivity), nameof(ActivityFault.CrashAfter), 1)]
    public async Task AnActivityCrashesOnce_DurableRetriesIt_TheReservationIsNeitherLostNorDoubled(string activity, string crash, int vendorCalls)
    {
        var fault = Enum.Parse<ActivityFault>(crash);
        kit.Faults.Set(activity, fault, times: 1);

        await RunAndCheckTheBooksAsync(vendorCalls);

        Assert.AreEqual(2, kit.Faults.Runs(activity) + (fault == ActivityFault.CrashBefore ? 1 : 0), "the crash, then the retry");
    }

    [TestMethod]
    public async Task ACallActivityFailsEveryRetry_TheAttemptCountsAsFailed_AndTheNextCandidateAnswers()
    {
        kit.Faults.Set(nameof(CallModelActivity), ActivityFault.CrashBefore, times: 3);
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);

        var (output, _) = await kit.RunAsync(job);
        var ledger = await kit.LedgerAsync(job.JobId);

        Assert.AreEqual(LlmJobResult.OfflineSource, output.Result.Source);
        Assert.AreEqual(0, provider.Fake.Calls);
        CollectionAssert.AreEqual(new[] { LlmOrchestrator.ActivityFailed, "ok" }, ledger.Select(l => l.Outcome).ToArray());
        Assert.AreEqual(provider.Id, ledger[0].ProviderId);
        Assert.AreEqual((1L, 0L), await kit.UserUsageAsync(userId), "the hold is released: nothing was spent");
    }

    [TestMethod]
    public async Task SettleReserveLedgerAndComplete_CalledTwiceWithTheSameInput_ChangeNothingTheSecondTime()
    {
        var (userId, conversationId) = await kit.AddUserAsync();
        var job = OrchestrationKit.CoachJob(userId, conversationId);
        const long worst = 9_000;
        var actual = provider.CallMicros;
        var globalBefore = await kit.SpendMonthAsync();
        var attempt = new AttemptResult(provider.Id, provider.Name, "openai", "gpt-4o-mini", true, Outcomes.Ok, "Rest 2 minutes.",
            FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens, actual, 120);
        var failed = attempt with { Succeeded = false, Outcome = "server_error", Text = null, InputTokens = 0, OutputTokens = 0, CostMicros = 0 };
        var settle = new SettleInput(job, worst, [failed, attempt], CacheHit: false, "Rest 2 minutes.");
        var result = new LlmJobResult(LlmJobResult.Answered, "Rest 2 minutes.", provider.Name, null, null, actual / 1_000_000m, false, 2);

        var reserved = new List<Reservation>();
        for (var run = 0; run < 2; run++)
            reserved.Add(await kit.RunActivityAsync<ReserveBudgetActivity, Reservation>(new ReserveInput(job.JobId, userId, "free", worst), job.JobId));
        var afterReserve = (await kit.UserUsageAsync(userId), await kit.SpendMonthAsync());
        for (var run = 0; run < 2; run++)
            await kit.RunActivityAsync<SettleLlmActivity, bool>(settle, job.JobId);
        var payloads = new List<string>();
        for (var run = 0; run < 2; run++)
            payloads.Add((await kit.RunActivityAsync<CompleteLlmJobActivity, System.Text.Json.JsonElement>(new CompleteInput(job, result), job.JobId)).GetRawText());

        Assert.AreEqual(reserved[0], reserved[1]);
        Assert.AreEqual(new Reservation(Denial.None, worst, false, null, UsageKeys.SpendMonth(kit.Services.GetRequiredService<TimeProvider>().GetUtcNow())), reserved[0]);
        Assert.AreEqual(((1L, worst), globalBefore + worst), afterReserve);
        Assert.AreEqual((1L, actual), await kit.UserUsageAsync(userId));
        Assert.AreEqual(globalBefore + actual, await kit.SpendMonthAsync());
        var ledger = await kit.LedgerAsync(job.JobId);
        CollectionAssert.AreEqual(new[] { "server_error", "ok" }, ledger.Select(l => l.Outcome).ToArray());
        Assert.AreEqual(actual / 1_000_000m, ledger.Sum(l => l.CostUsd));
        Assert.AreEqual(payloads[0], payloads[1]);
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM coach_messages WHERE job_id = @id", new { id = job.JobId }));
    }

    [TestMethod]
    public async Task Reserve_RunTwice_WhenTheUsersBudgetIsFull_AnswersOfflineBothTimes_AndHoldsNothing()
    {
        var (userId, _) = await kit.AddUserAsync();
        var month = UsageKeys.SpendMonth(DateTimeOffset.UtcNow);
        await kit.Counters.ApplyAsync(UsageKeys.User(userId), "preload", [new CounterDelta(month, 495_000)], CancellationToken.None);
        var globalBefore = await kit.SpendMonthAsync();
        var input = new ReserveInput("coach-full-" + Guid.NewGuid().ToString("N"), userId, "free", 9_000);

        var first = await kit.RunActivityAsync<ReserveBudgetActivity, Reservation>(input, input.JobId);
        var second = await kit.RunActivityAsync<ReserveBudgetActivity, Reservation>(input, input.JobId);

        Assert.AreEqual(new Reservation(Denial.None, 0, BudgetExhausted: true, null), first);
        Assert.AreEqual(first, second, "a re-run must not find a hold the first run never took");
        Assert.AreEqual((1L, 495_000L), await kit.UserUsageAsync(userId));
        Assert.AreEqual(globalBefore, await kit.SpendMonthAsync());
    }

    [TestMethod]
    public async Task Reserve_RunTwice_WhenTheGlobalBudgetIsFull_GivesTheHoldBackOnce()
    {
        await using (var conn = new Npgsql.NpgsqlConnection(kit.ConnectionString))
            await Dapper.SqlMapper.ExecuteAsync(conn, "UPDATE budget_settings SET global_monthly_usd = 0.000100, hard_stop = true");
        var (userId, _) = await kit.AddUserAsync();
        var input = new ReserveInput("coach-global-" + Guid.NewGuid().ToString("N"), userId, "free", 9_000);

        var first = await kit.RunActivityAsync<ReserveBudgetActivity, Reservation>(input, input.JobId);
        await using (var conn = new Npgsql.NpgsqlConnection(kit.ConnectionString))
            await Dapper.SqlMapper.ExecuteAsync(conn, "UPDATE budget_settings SET global_monthly_usd = 500");
        var second = await kit.RunActivityAsync<ReserveBudgetActivity, Reservation>(input, input.JobId);

        Assert.AreEqual(new Reservation(Denial.None, 0, BudgetExhausted: true, null), first);
        Assert.AreEqual(first, second, "the re-run finds the hold already given back, even though the global budget has room now");
        Assert.AreEqual((1L, 0L), await kit.UserUsageAsync(userId));
    }
}
