using System.Globalization;

namespace Vigor.Core.Reports;

/// <summary>
/// How every format writes numbers: invariant culture, no grouping, dollars to at most 6 places (the ledger's precision,
/// so nothing is rounded away) and at least 2. The CSV and HTML forms therefore parse back to the JSON's exact values.
/// </summary>
internal static class ReportFormat
{
    public static string Usd(decimal value) => value.ToString("0.00####", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "";

    public static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Instant(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Flag(bool value) => value ? "true" : "false";

    /// <summary>The period's days as people say them: "2026-11-23" or "2026-11-23 to 2026-11-29" (the end is exclusive).</summary>
    public static string Period(DateTime start, DateTime end)
        => end - start <= TimeSpan.FromDays(1) ? Day(start) : $"{Day(start)} to {Day(end.AddDays(-1))}";

    /// <summary>The key/value figures of the month and budget sections, named as in the CSV (and the HTML's data-key).</summary>
    public static IEnumerable<(string Section, string Key, string Value)> Figures(CostReportContent report)
    {
        var month = report.Month;
        yield return ("summary", "cost_per_active_user_usd", Usd(report.CostPerActiveUserUsd));
        yield return ("month", "month", month.Month);
        yield return ("month", "through", Instant(month.Through));
        yield return ("month", "spent_usd", Usd(month.SpentUsd));
        yield return ("month", "active_users", Count(month.ActiveUsers));
        yield return ("month", "cost_per_active_user_usd", Usd(month.CostPerActiveUserUsd));
        yield return ("month", "projected_cost_per_active_user_usd", Usd(month.ProjectedCostPerActiveUserUsd));
        yield return ("month", "goal_usd", Usd(month.GoalUsd));
        yield return ("month", "within_goal", Flag(month.WithinGoal));
        yield return ("month", "daily_average_usd", Usd(month.DailyAverageUsd));
        yield return ("month", "remaining_days", month.RemainingDays.ToString("0.####", CultureInfo.InvariantCulture));
        yield return ("month", "forecast_usd", Usd(month.ForecastUsd));
        yield return ("budget", "global_monthly_usd", Usd(report.Budget.GlobalMonthlyUsd));
        yield return ("budget", "hard_stop", Flag(report.Budget.HardStop));
        yield return ("budget", "percent_used", Percent(report.Budget.PercentUsed));
        yield return ("budget", "forecast_percent", Percent(report.Budget.ForecastPercent));
    }

    /// <summary>A capped provider's figures, named as in the CSV's provider_budget rows.</summary>
    public static IEnumerable<(string Key, string Value)> Figures(ProviderBudget provider)
    {
        yield return ("daily_cap_usd", provider.DailyCapUsd is { } daily ? Usd(daily) : "");
        yield return ("peak_day_spent_usd", Usd(provider.PeakDaySpentUsd));
        yield return ("monthly_cap_usd", provider.MonthlyCapUsd is { } monthly ? Usd(monthly) : "");
        yield return ("month_spent_usd", Usd(provider.MonthSpentUsd));
    }

    /// <summary>The breakdowns in report order, with the CSV section name and the HTML heading of each.</summary>
    public static IEnumerable<(string Section, string Heading, IReadOnlyList<UsageLine> Lines)> Breakdowns(CostReportContent report)
    {
        yield return ("day", "Day", report.Days);
        yield return ("provider", "Provider", report.Providers);
        yield return ("model", "Model", report.Models);
        yield return ("tier", "Tier", report.Tiers);
        yield return ("feature", "Feature", report.Features);
    }
}
