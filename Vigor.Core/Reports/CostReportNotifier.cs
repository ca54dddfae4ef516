using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigor.Core.Usage.Budgets;

namespace Vigor.Core.Reports;

/// <summary>
/// Posts a one-paragraph summary of a new scheduled report to the budget alert webhook (Teams/Slack <c>{"text"}</c>) when
/// <c>Reports:PostToWebhook</c> is on. At most once per report: a failed post is logged, not retried.
/// </summary>
internal sealed class CostReportNotifier(BudgetWebhook webhook, IOptions<ReportsOptions> options, ILogger<CostReportNotifier> logger)
{
    public async Task<bool> PostAsync(CostReportSummary report, CostReportContent content, CancellationToken ct)
    {
        if (!options.Value.PostToWebhook || await webhook.UrlAsync(ct) is not { } url)
            return false;
        if (await webhook.PostAsync(url, Text(report, content), ct))
            return true;
        ReportsLog.NotPosted(logger, report.Id);
        return false;
    }

    internal static string Text(CostReportSummary report, CostReportContent content)
    {
        var total = content.Total;
        var month = content.Month;
        var budget = content.Budget.PercentUsed is { } percent
            ? string.Create(CultureInfo.InvariantCulture, $" of the ${content.Budget.GlobalMonthlyUsd:0.00} budget ({percent:0.##} %)")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Vigor {report.Kind} cost report from {report.PeriodStart:yyyy-MM-dd}: ${total.CostUsd:0.00} for {total.Requests} requests by " +
            $"{total.ActiveUsers} active users. Month to date ({month.Month}): ${month.SpentUsd:0.00}{budget}, month-end forecast " +
            $"${month.ForecastUsd:0.00}; cost per active user ${month.ProjectedCostPerActiveUserUsd:0.00} pro-rated to the month " +
            $"(goal < ${month.GoalUsd:0.00}{(month.WithinGoal ? ", met" : ", missed")}).");
    }
}
