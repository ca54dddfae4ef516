namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// Usage of one scope in one window. Requests: ledger rows of a first attempt or a cache hit (one per AI request);
/// calls: provider attempts (every row but cache hits, fallbacks included). Cost in micro-dollars, so sums are exact.
/// </summary>
internal readonly record struct RollupTotals(long Requests, long Calls, long InputTokens, long OutputTokens, long CostMicros)
{
    public decimal CostUsd => UsageKeys.FromMicros(CostMicros);

    public bool IsZero => this == default;

    public static RollupTotals operator +(RollupTotals a, RollupTotals b)
        => new(a.Requests + b.Requests, a.Calls + b.Calls, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CostMicros + b.CostMicros);
}
