using System.Globalization;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Admin;

/// <summary><c>GET admin/usage</c>: validation, and every day of the range listed (zeros included) when grouped by day.</summary>
internal sealed class AdminUsageService(AdminUsageRepository usage)
{
    public const int DefaultUserLimit = 20;
    public const int MaxUserLimit = 100;

    public async Task<Outcome<UsageBreakdown>> QueryAsync(DateRange range, string? groupBy, string? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Check(groupBy is not null && UsageGroupings.All.Contains(groupBy), "groupBy", $"is required: one of {string.Join(", ", UsageGroupings.All)}.");
        var top = DefaultUserLimit;
        if (!string.IsNullOrEmpty(limit))
            errors.Check(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out top) && top is >= 1 and <= MaxUserLimit,
                "limit", $"must be a whole number from 1 to {MaxUserLimit}.");
        if (!errors.IsEmpty)
            return errors.ToProblem();

        // Only users are many; the other groupings are bounded (≤ 367 days, a few tiers, providers and features).
        var result = await usage.QueryAsync(range.From, range.To, groupBy!, groupBy == UsageGroupings.User ? top : int.MaxValue, ct);
        return groupBy == UsageGroupings.Day ? result with { Rows = EveryDay(range, result.Rows) } : result;
    }

    private static List<UsageGroup> EveryDay(DateRange range, IReadOnlyList<UsageGroup> rows)
    {
        var byDay = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var first = DateOnly.FromDateTime(range.From.UtcDateTime);
        var last = DateOnly.FromDateTime(range.To.UtcDateTime);
        var days = new List<UsageGroup>(last.DayNumber - first.DayNumber + 1);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            days.Add(byDay.GetValueOrDefault(key) ?? new UsageGroup(key, null, 0, 0, 0, 0));
        }
        return days;
    }
}
