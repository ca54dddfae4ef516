namespace Vigor.Core.Reports;

/// <summary>The body of <c>POST admin/reports</c>: the kind, and the first day of the period (default: the last complete one).</summary>
public sealed record CostReportRequest(string? Kind, DateOnly? PeriodStart);

/// <summary>One report in the list of <c>GET admin/reports</c>. The period is [periodStart, periodEnd), UTC.</summary>
public sealed record CostReportSummary(Guid Id, string Kind, DateTime PeriodStart, DateTime PeriodEnd, DateTime CreatedAt, decimal TotalCostUsd);

/// <summary>A stored cost report: which period it covers and what the ledger says about it.</summary>
public sealed record CostReport(Guid Id, string Kind, DateTime PeriodStart, DateTime PeriodEnd, DateTime CreatedAt, CostReportContent Report);

/// <summary>
/// What a report says. Requests count first attempts and cache hits (one per AI request), calls count provider attempts
/// (fallbacks included), as the usage rollups do; costs are exact sums of the ledger's <c>numeric(12,6)</c> column.
/// </summary>
public sealed record CostReportContent(
    UsageLine Total,
    decimal CostPerActiveUserUsd,
    IReadOnlyList<UsageLine> Days,
    IReadOnlyList<UsageLine> Providers,
    IReadOnlyList<UsageLine> Models,
    IReadOnlyList<UsageLine> Tiers,
    IReadOnlyList<UsageLine> Features,
    IReadOnlyList<UserCost> TopUsers,
    MonthToDate Month,
    BudgetStatus Budget);

/// <summary>Usage of one day, provider, model, tier or feature; active users made at least one request.</summary>
public sealed record UsageLine(string Key, long Requests, long Calls, long InputTokens, long OutputTokens, decimal CostUsd, int ActiveUsers);

public sealed record UserCost(Guid UserId, string? Email, long Requests, long InputTokens, long OutputTokens, decimal CostUsd);

/// <summary>
/// The month of the period's last day, from its first day up to the period end. Cost per active user is pro-rated to the
/// whole month (× days in month ÷ days elapsed) before it is compared with the goal; the forecast is linear (see README).
/// </summary>
public sealed record MonthToDate(
    string Month, DateTime Through, decimal SpentUsd, int ActiveUsers, decimal CostPerActiveUserUsd, decimal ProjectedCostPerActiveUserUsd,
    decimal GoalUsd, bool WithinGoal, decimal DailyAverageUsd, decimal RemainingDays, decimal ForecastUsd);

/// <summary>The global monthly budget against the month-to-date spend and forecast, and every provider with a cap.</summary>
public sealed record BudgetStatus(decimal GlobalMonthlyUsd, bool HardStop, decimal? PercentUsed, decimal? ForecastPercent, IReadOnlyList<ProviderBudget> Providers);

/// <summary>A capped provider: its busiest day of the period against the daily cap, its month to date against the monthly cap.</summary>
public sealed record ProviderBudget(Guid ProviderId, string Name, decimal? DailyCapUsd, decimal PeakDaySpentUsd, decimal? MonthlyCapUsd, decimal MonthSpentUsd);
