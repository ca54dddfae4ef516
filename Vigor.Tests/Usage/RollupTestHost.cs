using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Usage.Rollups;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>A local host on a fresh database and table prefix, whose timers only run when a test asks.</summary>
internal static class RollupTestHost
{
    public static Task<TestHost> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // Once a year: the scheduled runs must not race the test's own (they would be harmless, but not the point).
            ["Timers:UsageRollupSchedule"] = "0 0 0 1 1 *",
            ["Timers:BudgetWatchSchedule"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        return TestHost.StartAsync("rollup", settings);
    }

    /// <summary>A rollup of its own, with small batches so a fixture spans several.</summary>
    public static UsageRollup Rollup(TestHost host, int pageSize = 50, int maxBatchRows = 200)
    {
        var rollup = ActivatorUtilities.CreateInstance<UsageRollup>(host.Services);
        rollup.PageSize = pageSize;
        rollup.MaxBatchRows = maxBatchRows;
        return rollup;
    }

    /// <summary>
    /// Runs until the checkpoint reaches the last ledger row; returns the rows rolled up. The horizon is the oldest
    /// transaction running in the whole PostgreSQL cluster, so another test class's open transaction (a host migrating
    /// its database) can hold a run back for a moment: later, never wrong.
    /// </summary>
    public static async Task<long> CatchUpAsync(TestHost host, UsageRollup rollup)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var last = await conn.ExecuteScalarAsync<long?>("SELECT max(id) FROM llm_calls") ?? 0;
        var checkpoints = host.Services.GetRequiredService<RollupCheckpoints>();
        var done = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            done += (await rollup.RunAsync(CancellationToken.None)).Rows;
            var checkpoint = await checkpoints.ReadAsync(CancellationToken.None);
            if ((checkpoint.Applied.Id == last && checkpoint.Pending is null) || DateTime.UtcNow > deadline)
                return done;
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until every ledger row written so far is below the horizon (see <see cref="CatchUpAsync"/>).</summary>
    public static async Task WaitUntilFinalAsync(TestHost host)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        for (var i = 0; i < 300; i++)
        {
            if (await conn.ExecuteScalarAsync<bool>("SELECT coalesce(max(tx), '0') < pg_snapshot_xmin(pg_current_snapshot()) FROM llm_calls"))
                return;
            await Task.Delay(100);
        }
        Assert.Fail("the ledger rows did not become final within 30 s");
    }
}
