using Vigor.Core.Auth;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Usage;

public sealed record WindowUsage(string Window, long Used, long Limit, DateTimeOffset ResetsAt);

public sealed record BudgetUsage(decimal SpentUsd, decimal LimitUsd, DateTimeOffset ResetsAt);

public sealed record UsageReport(string Tier, IReadOnlyList<WindowUsage> Requests, BudgetUsage Budget);

/// <summary><c>GET me/usage</c>: the caller's live counters against their tier's limits.</summary>
internal sealed class UsageService(TierRepository tiers, UserRepository users, CounterStore counters, TimeProvider time)
{
    public Task<IReadOnlyList<Tier>> ListTiersAsync(CancellationToken ct) => tiers.ListAsync(ct);

    public async Task<Outcome<UsageReport>> GetAsync(Guid userId, CancellationToken ct)
    {
        var user = await users.GetAsync(userId, ct);
        if (user is null)
            return Problems.NotFound("user");
        var tier = await tiers.GetAsync(user.Tier, ct);
        if (tier is null)
            return Problems.NotFound("tier");
        var now = time.GetUtcNow();
        var rows = new[] { UsageKeys.RequestsDay(now), UsageKeys.RequestsWeek(now), UsageKeys.RequestsMonth(now), UsageKeys.SpendMonth(now) };
        var live = await counters.GetAsync(UsageKeys.User(userId), rows, ct);
        long Get(string row) => live.TryGetValue(row, out var v) ? v : 0;
        return new UsageReport(tier.Name,
        [
            new WindowUsage("day", Get(rows[0]), tier.RequestsPerDay, UsageWindows.DayResets(now)),
            new WindowUsage("week", Get(rows[1]), tier.RequestsPerWeek, UsageWindows.WeekResets(now)),
            new WindowUsage("month", Get(rows[2]), tier.RequestsPerMonth, UsageWindows.MonthResets(now)),
        ],
        new BudgetUsage(decimal.Round(UsageKeys.FromMicros(Get(rows[3])), 6), tier.MonthlyBudgetUsd, UsageWindows.MonthResets(now)));
    }
}
