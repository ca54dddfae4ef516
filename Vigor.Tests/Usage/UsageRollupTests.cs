using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Usage.Rollups;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

[TestClass]
public sealed class UsageRollupTests
{
    private static readonly DateTime Nov30 = new(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public async Task RunAsync_HandWrittenLedger_ExactTotalsPerScopeAndWindow()
    {
        await using var host = await RollupTestHost.StartAsync();
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        await LedgerFixture.InsertAsync(host.ConnectionString,
        [
            // Alice on Nov 30: a request that failed over from OpenAI to the offline coach, and a cache hit.
            new(alice, "premium", "coach_chat", LedgerFixture.OpenAi, "openai", 1, 1000, 0, 0.001250m, false, Nov30.AddHours(9), "j1"),
            new(alice, "premium", "coach_chat", LedgerFixture.Offline, "offline", 2, 0, 0, 0m, false, Nov30.AddHours(9), "j1"),
            new(alice, "premium", "plan_generation", null, "cache", 0, 0, 0, 0m, true, Nov30.AddHours(10), "j2"),
            // Bob on Nov 30 and Dec 1: the month changes at midnight UTC.
            new(bob, "free", "coach_chat", LedgerFixture.OpenAi, "openai", 1, 300, 200, 0.000333m, false, Nov30.AddHours(23.99), "j3"),
            new(bob, "free", "coach_chat", LedgerFixture.Anthropic, "openai", 1, 10, 20, 0.000001m, false, Nov30.AddDays(1), "j4"),
        ]);

        var rows = await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host, pageSize: 2, maxBatchRows: 2));
        var rollups = host.Services.GetRequiredService<UsageRollups>();

        Assert.AreEqual(5, rows);
        Assert.AreEqual(new RollupTotals(2, 2, 1000, 0, 1250), await rollups.GetAsync(RollupScopes.User(alice), "d:2026-11-30", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(1, 1, 300, 200, 333), await rollups.GetAsync(RollupScopes.User(bob), "m:2026-11", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(1, 1, 10, 20, 1), await rollups.GetAsync(RollupScopes.User(bob), "m:2026-12", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(3, 3, 1300, 200, 1583), await rollups.GetAsync(RollupScopes.Global, "m:2026-11", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(2, 2, 1300, 200, 1583), await rollups.GetAsync(RollupScopes.Provider(LedgerFixture.OpenAi), "d:2026-11-30", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(1, 0, 0, 0, 0), await rollups.GetAsync(RollupScopes.ProviderKind("cache"), "m:2026-11", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(0, 1, 0, 0, 0), await rollups.GetAsync(RollupScopes.Provider(LedgerFixture.Offline), "m:2026-11", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(1, 1, 300, 200, 333), await rollups.GetAsync(RollupScopes.Tier("free"), "d:2026-11-30", CancellationToken.None));
        Assert.AreEqual(new RollupTotals(1, 0, 0, 0, 0), await rollups.GetAsync(RollupScopes.Feature("plan_generation"), "m:2026-11", CancellationToken.None));
        Assert.AreEqual(default, await rollups.GetAsync(RollupScopes.Global, "d:2026-11-29", CancellationToken.None));
        var users = await rollups.ListAsync("m:2026-11", "user:", CancellationToken.None);
        CollectionAssert.AreEquivalent(new[] { RollupScopes.User(alice), RollupScopes.User(bob) }, users.Select(u => u.Scope).ToList());
    }

    [TestMethod]
    public async Task RunAsync_RandomLedger_AgreesWithSqlGroupBy_AndASecondRunChangesNothing()
    {
        await using var host = await RollupTestHost.StartAsync();
        await LedgerFixture.InsertAsync(host.ConnectionString, LedgerFixture.Random(seed: 1, count: 3000, users: 60, Nov30.AddDays(-5), days: 9));
        var expected = await LedgerFixture.SqlTotalsAsync(host.ConnectionString);

        var first = await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host, pageSize: 250, maxBatchRows: 1000));
        var afterFirst = await LedgerFixture.RollupTotalsAsync(host.Services);
        var second = await RollupTestHost.Rollup(host).RunAsync(CancellationToken.None);
        var afterSecond = await LedgerFixture.RollupTotalsAsync(host.Services);

        Assert.AreEqual(3000, first);
        Assert.AreEqual(0, second.Rows);
        LedgerFixture.AssertSame(expected, afterFirst);
        LedgerFixture.AssertSame(expected, afterSecond);
    }

    [TestMethod]
    public async Task RunAsync_CrashHalfwayThroughABatch_NextRunFinishesItWithoutCountingTwice()
    {
        await using var host = await RollupTestHost.StartAsync();
        await LedgerFixture.InsertAsync(host.ConnectionString, LedgerFixture.Random(seed: 2, count: 2000, users: 300, Nov30.AddDays(-3), days: 5));
        var expected = await LedgerFixture.SqlTotalsAsync(host.ConnectionString);
        await RollupTestHost.WaitUntilFinalAsync(host);
        var crashing = RollupTestHost.Rollup(host, pageSize: 500, maxBatchRows: 1000);
        var chunks = 0;
        crashing.Parallelism = 1;
        crashing.AfterChunkApplied = _ => ++chunks == 3 ? throw new IOException("simulated crash after the third chunk") : Task.CompletedTask;

        await Assert.ThrowsExactlyAsync<IOException>(() => crashing.RunAsync(CancellationToken.None));
        var checkpoint = await host.Services.GetRequiredService<RollupCheckpoints>().ReadAsync(CancellationToken.None);
        var partial = await LedgerFixture.RollupTotalsAsync(host.Services);
        var rows = await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host, pageSize: 500, maxBatchRows: 1000));

        Assert.IsNotNull(checkpoint.Pending, "the crashed batch stays pending");
        Assert.AreEqual(LedgerPosition.Start, checkpoint.Applied);
        Assert.IsNotEmpty(partial, "some chunks were applied before the crash");
        Assert.AreNotEqual(expected.Count, partial.Count);
        Assert.AreEqual(2000, rows, "the rerun reads the pending batch again, then the rest");
        LedgerFixture.AssertSame(expected, await LedgerFixture.RollupTotalsAsync(host.Services));
    }

    [TestMethod]
    public async Task RunAsync_ConcurrentRuns_CountEachRowOnce()
    {
        await using var host = await RollupTestHost.StartAsync();
        await LedgerFixture.InsertAsync(host.ConnectionString, LedgerFixture.Random(seed: 3, count: 1500, users: 40, Nov30, days: 3));
        var expected = await LedgerFixture.SqlTotalsAsync(host.ConnectionString);

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RollupTestHost.Rollup(host, pageSize: 100, maxBatchRows: 300).RunAsync(CancellationToken.None)));
        var rows = runs.Sum(r => r.Rows) + await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host));

        Assert.IsGreaterThanOrEqualTo(1500, rows, "overlapping runs read the same batches");
        LedgerFixture.AssertSame(expected, await LedgerFixture.RollupTotalsAsync(host.Services));
    }

    [TestMethod]
    public async Task RunAsync_RowWithLowerIdCommittedLate_IsNotSkipped()
    {
        await using var host = await RollupTestHost.StartAsync();
        var slow = Guid.NewGuid();
        var fast = Guid.NewGuid();
        await using var open = new NpgsqlConnection(host.ConnectionString);
        await open.OpenAsync();
        await using var tx = await open.BeginTransactionAsync();
        // The slow writer takes the lower id first and commits last.
        await open.ExecuteAsync("""
            INSERT INTO llm_calls (job_id, attempt, user_id, tier, feature, provider_kind, model, cost_usd, outcome)
            VALUES ('slow', 1, @slow, 'free', 'coach_chat', 'openai', 'm', 0.5, 'ok')
            """, new { slow }, tx);
        await LedgerFixture.InsertAsync(host.ConnectionString, [new(fast, "free", "coach_chat", LedgerFixture.OpenAi, "openai", 1, 1, 1, 0.25m, false, DateTime.UtcNow)]);
        var rollups = host.Services.GetRequiredService<UsageRollups>();
        var month = UsageWindowsNow();

        var whileOpen = await RollupTestHost.Rollup(host).RunAsync(CancellationToken.None);
        await tx.CommitAsync();
        var afterCommit = await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host));

        Assert.AreEqual(0, whileOpen.Rows, "nothing at or after a running writer is final yet");
        Assert.AreEqual(2, afterCommit);
        Assert.AreEqual(500_000, (await rollups.GetAsync(RollupScopes.User(slow), month, CancellationToken.None)).CostMicros);
        Assert.AreEqual(250_000, (await rollups.GetAsync(RollupScopes.User(fast), month, CancellationToken.None)).CostMicros);
    }

    [TestMethod]
    public async Task RollUpUsage_RunNowOnTheLocalHost_RollsTheLedgerUp()
    {
        await using var host = await RollupTestHost.StartAsync();
        await LedgerFixture.InsertAsync(host.ConnectionString, LedgerFixture.Random(seed: 4, count: 400, users: 10, Nov30, days: 2));
        var expected = await LedgerFixture.SqlTotalsAsync(host.ConnectionString);

        var response = await host.Client.PostAsync("/admin/functions/RollUpUsage", null);
        var actual = await LedgerFixture.RollupTotalsAsync(host.Services);
        for (var i = 0; i < 20 && actual.Count < expected.Count; i++)
        {
            await Task.Delay(200);
            await host.Client.PostAsync("/admin/functions/RollUpUsage", null);
            actual = await LedgerFixture.RollupTotalsAsync(host.Services);
        }

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        LedgerFixture.AssertSame(expected, actual);
    }

    private static string UsageWindowsNow() => Vigor.Core.Usage.UsageWindows.Month(DateTimeOffset.UtcNow);
}
