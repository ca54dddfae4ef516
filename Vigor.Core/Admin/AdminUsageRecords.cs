namespace Vigor.Core.Admin;

/// <summary>One group of ledger rows. <c>label</c>: a provider's name or a user's email, where the key is an id.</summary>
public sealed record UsageGroup(string Key, string? Label, long Requests, long InputTokens, long OutputTokens, decimal CostUsd);

public sealed record UsageTotals(long Requests, long InputTokens, long OutputTokens, decimal CostUsd);

/// <summary>
/// <c>GET admin/usage</c>: the ledger between <c>from</c> and <c>to</c> grouped by one dimension. <c>groups</c> counts
/// every group; <c>rows</c> holds at most <c>limit</c> of them for <c>groupBy=user</c> (top users by cost). The totals
/// cover the whole range.
/// </summary>
public sealed record UsageBreakdown(DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<UsageGroup> Rows, int Groups, UsageTotals Totals);

public static class UsageGroupings
{
    public const string Day = "day";
    public const string Tier = "tier";
    public const string Provider = "provider";
    public const string Feature = "feature";
    public const string User = "user";

    public static readonly string[] All = [Day, Tier, Provider, Feature, User];
}
