using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Reports;

namespace Vigor.Functions.Reports;

/// <summary>
/// The daily and weekly cost reports (06:00 UTC by default), each for the period that has just ended. A retried run
/// rebuilds the same report (one per kind and period); the service logs each build as CostReportBuilt.
/// </summary>
internal sealed class CostReportTimers(CostReportService reports)
{
    [Function(nameof(DailyCostReport))]
    public Task DailyCostReport([TimerTrigger("%Timers:DailyCostReportSchedule%")] TimerInfo timer, CancellationToken ct)
        => reports.BuildLastCompleteAsync(CostReportKinds.Daily, ct);

    [Function(nameof(WeeklyCostReport))]
    public Task WeeklyCostReport([TimerTrigger("%Timers:WeeklyCostReportSchedule%")] TimerInfo timer, CancellationToken ct)
        => reports.BuildLastCompleteAsync(CostReportKinds.Weekly, ct);
}
