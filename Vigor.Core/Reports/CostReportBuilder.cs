using Microsoft.Extensions.Options;
using Vigor.Core.Usage.Budgets;

namespace Vigor.Core.Reports;

/// <summary>Turns the ledger's figures for a period into a report: every day listed, breakdowns by cost, the month's outlook.</summary>
internal sealed class CostReportBuilder(CostReportLedger ledger, IOptions<ReportsOptions> options)
{
    public async Task<CostReportContent> BuildAsync(CostReportPeriod period, CancellationToken ct)
    {
        var figures = await ledger.ReadAsync(period, SpendForecaster.AverageDays, ct);
        var byDimension = figures.Lines.ToLookup(l => l.Dimension, StringComparer.Ordinal);
        var total = byDimension["total"].Single().ToUsage() with { Key = "total" };
        var days = byDimension["day"].ToDictionary(l => l.Key, StringComparer.Ordinal);
        var month = Month(period, figures);
        return new CostReportContent(
            total,
            PerUser(total.CostUsd, total.ActiveUsers),
            period.Days.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                .Select(d => days.TryGetValue(d, out var line) ? line.ToUsage() : new UsageLine(d, 0, 0, 0, 0, 0m, 0)).ToList(),
            ByCost(byDimension["provider"]),
            ByCost(byDimension["model"]),
            ByCost(byDimension["tier"]),
            ByCost(byDimension["feature"]),
            figures.TopUsers,
            month,
            new BudgetStatus(figures.GlobalMonthlyUsd, figures.HardStop, Percent(month.SpentUsd, figures.GlobalMonthlyUsd),
                Percent(month.ForecastUsd, figures.GlobalMonthlyUsd), figures.ProviderBudgets));
    }

    /// <summary>
    /// Month to date up to the period end. The forecast is SpendForecaster's method, as of the period end instead of now:
    /// spent + the average daily spend of the last 7 full days × the days left in the month.
    /// </summary>
    private MonthToDate Month(CostReportPeriod period, LedgerFigures figures)
    {
        var daysInMonth = (decimal)(period.MonthEnd - period.MonthStart).TotalDays;
        var elapsed = (decimal)(period.End - period.MonthStart).TotalDays;
        var remaining = daysInMonth - elapsed;
        var (average, forecast) = SpendForecaster.Project(figures.MonthSpentUsd, figures.LastDaysSpentUsd, remaining);
        var perUser = PerUser(figures.MonthSpentUsd, figures.MonthActiveUsers);
        var projected = figures.MonthActiveUsers == 0 ? 0m : Math.Round(figures.MonthSpentUsd / figures.MonthActiveUsers * daysInMonth / elapsed, 6);
        var goal = options.Value.CostPerUserGoalUsd;
        return new MonthToDate(
            period.MonthStart.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), period.End, figures.MonthSpentUsd,
            figures.MonthActiveUsers, perUser, projected, goal, projected < goal, average, remaining, forecast);
    }

    private static decimal PerUser(decimal costUsd, int users) => users == 0 ? 0m : Math.Round(costUsd / users, 6);

    private static decimal? Percent(decimal spentUsd, decimal limitUsd) => limitUsd > 0 ? Math.Round(spentUsd * 100 / limitUsd, 2) : null;

    private static List<UsageLine> ByCost(IEnumerable<LedgerFigures.Line> lines)
        => lines.OrderByDescending(l => l.CostUsd).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => l.ToUsage()).ToList();
}
