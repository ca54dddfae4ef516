using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Dapper;
using Vigor.Core.Usage.Budgets;
using Vigor.Core.Usage.Rollups;

namespace Vigor.Tests.Usage;

[TestClass]
public sealed class SpendForecasterTests
{
    private static readonly DateTimeOffset Nov20Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task ForecastAsync_SpentPlusLastSevenDaysAverageTimesDaysLeft()
    {
        await using var host = await RollupTestHost.StartAsync();
        for (var day = 1; day <= 12; day++)
            await BudgetWatchTests.SpendAsync(host, new DateTimeOffset(2026, 11, day, 15, 0, 0, TimeSpan.Zero), 0.50m);
        for (var day = 13; day <= 19; day++)
            await BudgetWatchTests.SpendAsync(host, new DateTimeOffset(2026, 11, day, 15, 0, 0, TimeSpan.Zero), 1.00m);
        await BudgetWatchTests.SpendAsync(host, Nov20Noon.AddHours(-1), 0.25m);
        await BudgetWatchTests.SpendAsync(host, new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), 9m);
        await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host));
        var forecaster = ActivatorUtilities.CreateInstance<SpendForecaster>(host.Services, new FakeTimeProvider(Nov20Noon));

        var forecast = await forecaster.ForecastAsync(RollupScopes.Global, CancellationToken.None);

        // 12 × 0.50 + 7 × 1.00 + 0.25 spent; 7 full days of 1.00 before today; 10.5 days from Nov 20 noon to Dec 1.
        Assert.AreEqual(new MonthForecast("global", "2026-11", 13.25m, 1.00m, 10.5m, 23.75m), forecast);
    }

    [TestMethod]
    public async Task ForecastAsync_RollupHalfAppliedAndNewRows_CountsEveryLedgerRowOnce()
    {
        await using var host = await RollupTestHost.StartAsync();
        await LedgerFixture.InsertAsync(host.ConnectionString, LedgerFixture.Random(seed: 5, count: 1200, users: 200, new DateTime(2026, 11, 14, 0, 0, 0, DateTimeKind.Utc), days: 7));
        await RollupTestHost.WaitUntilFinalAsync(host);
        var crashing = RollupTestHost.Rollup(host, pageSize: 200, maxBatchRows: 400);
        var chunks = 0;
        crashing.Parallelism = 1;
        crashing.AfterChunkApplied = _ => ++chunks == 5 ? throw new IOException("crash") : Task.CompletedTask;
        await Assert.ThrowsExactlyAsync<IOException>(() => crashing.RunAsync(CancellationToken.None));
        await BudgetWatchTests.SpendAsync(host, Nov20Noon.AddHours(-3), 1.5m, LedgerFixture.Anthropic);
        var forecaster = ActivatorUtilities.CreateInstance<SpendForecaster>(host.Services, new FakeTimeProvider(Nov20Noon));
        string[] scopes = [RollupScopes.Global, RollupScopes.Provider(LedgerFixture.Anthropic), RollupScopes.Tier("premium")];

        var halfway = await forecaster.ForecastAsync(scopes, CancellationToken.None);
        await RollupTestHost.CatchUpAsync(host, RollupTestHost.Rollup(host));
        var after = await forecaster.ForecastAsync(scopes, CancellationToken.None);

        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var expected = await conn.QuerySingleAsync<(decimal Global, decimal Anthropic, decimal Premium)>("""
            SELECT sum(cost_usd), coalesce(sum(cost_usd) FILTER (WHERE provider_id = @anthropic), 0), coalesce(sum(cost_usd) FILTER (WHERE tier = 'premium'), 0)
            FROM llm_calls WHERE created_at >= '2026-11-01' AND created_at < '2026-12-01'
            """, new { anthropic = LedgerFixture.Anthropic });
        var rolledUp = await host.Services.GetRequiredService<UsageRollups>().GetAsync(RollupScopes.Global, "m:2026-11", CancellationToken.None);
        foreach (var forecasts in new[] { halfway, after })
            CollectionAssert.AreEqual(new[] { expected.Global, expected.Anthropic, expected.Premium }, forecasts.Select(f => f.SpentUsd).ToList());
        Assert.AreEqual(expected.Global, rolledUp.CostUsd);
    }
}
