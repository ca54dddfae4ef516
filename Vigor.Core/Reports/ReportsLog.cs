using Microsoft.Extensions.Logging;

namespace Vigor.Core.Reports;

internal static partial class ReportsLog
{
    [LoggerMessage(EventId = 4201, EventName = "CostReportBuilt", Level = LogLevel.Information,
        Message = "Cost report {Kind} for the period starting {PeriodStart}: {TotalCostUsd} USD (new: {Created})")]
    public static partial void CostReportBuilt(ILogger logger, string kind, string periodStart, decimal totalCostUsd, bool created);

    [LoggerMessage(EventId = 4202, EventName = "CostReportNotPosted", Level = LogLevel.Warning,
        Message = "The summary of cost report {ReportId} was not posted: the webhook did not take it")]
    public static partial void NotPosted(ILogger logger, Guid reportId);
}
