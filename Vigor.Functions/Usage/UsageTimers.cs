using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Vigor.Core.Usage.Budgets;
using Vigor.Core.Usage.Rollups;

namespace Vigor.Functions.Usage;

internal sealed class UsageTimers(UsageRollup rollup, BudgetWatch budgets, ILogger<UsageTimers> logger)
{
    [Function(nameof(RollUpUsage))]
    public async Task RollUpUsage([TimerTrigger("%Timers:UsageRollupSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var run = await rollup.RunAsync(ct);
        logger.LogInformation("Rolled up {Rows} ledger rows in {Batches} batches", run.Rows, run.Batches);
    }

    [Function(nameof(WatchBudgets))]
    public async Task WatchBudgets([TimerTrigger("%Timers:BudgetWatchSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var run = await budgets.RunAsync(ct);
        logger.LogInformation("Budget watch: {Spent} USD spent this month, forecast {Forecast} USD, {Raised} alerts raised, {Notified} posted",
            run.Global.SpentUsd, run.Global.ForecastUsd, run.Raised.Count, run.Notified);
    }
}
