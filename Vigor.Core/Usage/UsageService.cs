using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Usage;

public sealed record WindowUsage(string Window, long Used, long Limit, DateTimeOffset ResetsAt);

public sealed record BudgetUsage(decimal SpentUsd, decimal LimitUsd, DateTimeOffset ResetsAt);

public sealed record UsageReport(string Tier, IReadOnlyList<WindowUsage> Requests, BudgetUsage Budget);

/// <summary>
/// <c>GET me/usage</c>: the caller's AI requests and spend against their tier, summed from the LLM call ledger. Neither
/// the rollups (up to one run behind) nor the live counters (which also hold the worst case of requests in flight)
/// equal the ledger at every moment; the user's own ledger rows of the month are few (bounded by the tier's quota)
/// and read index-only, so the exact sum is also the cheap one. The tier is read with them: a change applies at once.
/// </summary>
/// <remarks>Answers are served from <see cref="UsageCache"/> until the user's usage, tier or the catalogue changes.</remarks>
internal sealed class UsageService(TierRepository tiers, UsageCache cache, TimeProvider time, Llm.Gateway.PendingSettles settles)
{
    public Task<IReadOnlyList<Tier>> ListTiersAsync(CancellationToken ct) => tiers.ListAsync(ct);

    public async Task<Outcome<UsageReport>> GetAsync(Guid userId, CancellationToken ct)
    {
        // An answer given moments ago is in the ledger once its settle step commits (PendingSettles).
        await settles.WhenSettledAsync(userId, ct);
        var now = time.GetUtcNow();
        if (cache.TryGet(userId, 0, now, out var cached))
            return cached;
        var ticket = cache.Begin(userId);
        if (await tiers.GetUsageAsync(userId, UsageWindows.Starts(now), ct) is not { } usage)
            return Problems.NotFound("user");
        var report = new UsageReport(usage.Name,
        [
            new WindowUsage("day", usage.DayRequests, usage.RequestsPerDay, UsageWindows.DayResets(now)),
            new WindowUsage("week", usage.WeekRequests, usage.RequestsPerWeek, UsageWindows.WeekResets(now)),
            new WindowUsage("month", usage.MonthRequests, usage.RequestsPerMonth, UsageWindows.MonthResets(now)),
        ],
        new BudgetUsage(usage.MonthCostUsd, usage.MonthlyBudgetUsd, UsageWindows.MonthResets(now)));
        cache.Store(userId, 0, report, ticket, now, UsageWindows.DayResets(now)); // the windows move at midnight UTC
        return report;
    }
}
