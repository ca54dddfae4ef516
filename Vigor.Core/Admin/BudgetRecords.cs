namespace Vigor.Core.Admin;

/// <summary>The body of <c>PUT admin/budgets</c>: every field is required (a PUT replaces the settings).</summary>
public sealed record BudgetUpdate(decimal? GlobalMonthlyUsd, int[]? AlertThresholds, bool? HardStop);

/// <summary>
/// The global AI budget: the monthly limit, the alert thresholds in percent, and whether the limit stops paid
/// model calls (hard stop) or only alerts. Per-provider caps are set on each provider and listed here.
/// </summary>
public sealed record BudgetSettings(
    decimal GlobalMonthlyUsd, IReadOnlyList<int> AlertThresholds, bool HardStop, DateTime UpdatedAt, decimal SpentThisMonthUsd,
    IReadOnlyList<ProviderCap> ProviderCaps);

public sealed record ProviderCap(Guid Id, string Name, decimal? DailyCapUsd, decimal? MonthlyCapUsd);
