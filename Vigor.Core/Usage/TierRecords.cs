namespace Vigor.Core.Usage;

/// <summary>A tier as data (seeded with product.md's defaults, editable by admins).</summary>
// A class with setters, not a positional record: Dapper hands text[] over as System.Array, which only a setter accepts.
public sealed class Tier
{
    public string Name { get; init; } = "";
    public decimal PriceUsd { get; init; }
    public int RequestsPerDay { get; init; }
    public int RequestsPerWeek { get; init; }
    public int RequestsPerMonth { get; init; }
    public decimal MonthlyBudgetUsd { get; init; }
    public string[] Features { get; init; } = [];
    public string ModelClass { get; init; } = "";
    public int Priority { get; init; }
}

public static class Features
{
    public const string CoachChat = "coach_chat";
    public const string PlanGeneration = "plan_generation";
    public const string WorkoutAnalysis = "workout_analysis";

    public static readonly string[] All = [CoachChat, PlanGeneration, WorkoutAnalysis];
}

public static class ModelClasses
{
    public static readonly string[] All = ["economy", "standard", "premium"];
}

/// <summary>A user's tier and their ledger totals in the current day, week and month (see <see cref="TierRepository.GetUsageAsync"/>).</summary>
internal sealed class UserTierUsage
{
    public string Name { get; init; } = "";
    public decimal PriceUsd { get; init; }
    public int RequestsPerDay { get; init; }
    public int RequestsPerWeek { get; init; }
    public int RequestsPerMonth { get; init; }
    public decimal MonthlyBudgetUsd { get; init; }
    public string[] Features { get; init; } = [];
    public string ModelClass { get; init; } = "";
    public int Priority { get; init; }
    public long DayRequests { get; init; }
    public long WeekRequests { get; init; }
    public long MonthRequests { get; init; }
    public decimal MonthCostUsd { get; init; }
    public long MonthInputTokens { get; init; }
    public long MonthOutputTokens { get; init; }
}
