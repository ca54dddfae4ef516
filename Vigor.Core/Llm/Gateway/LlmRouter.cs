using Dapper;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// The ordered candidates for a job: a cache hit first; then the tier's enabled providers whose breaker lets them
/// through (a half-open one only when this request wins the probe) and whose worst case still fits the user's
/// remaining budget, by priority and price; cheapest first once the budget is 80 % spent; the offline coach last.
/// </summary>
internal sealed class LlmRouter(
    Npgsql.NpgsqlDataSource dataSource, CircuitBreakers breakers, ICounterStore counters, LlmCache cache, TimeProvider time,
    Infrastructure.Telemetry.VigorMetrics metrics)
{
    public const double StepDownAt = 0.8;

    public async Task<RoutePlan> RouteAsync(LlmJob job, CancellationToken ct) => (await RouteWithContextAsync(job, ct)).Plan;

    /// <summary>
    /// The plan, and what was read to make it (the tier, the providers, the global limit), which the inline path hands
    /// on to the reserve step and the call instead of reading them again. The reads run at the same time: one round trip
    /// of wall time (the configuration is one batch of three statements).
    /// </summary>
    public async Task<(RoutePlan Plan, RouteContext Context)> RouteWithContextAsync(LlmJob job, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cachedRead = job.CacheKey is null ? Task.FromResult<string?>(null) : cache.GetAsync(job.CacheKey, ct);
        var configRead = ReadConfigAsync(job.Tier, ct);
        var spentRead = counters.GetAsync(UsageKeys.User(job.UserId), [UsageKeys.SpendMonth(now)], ct);
        var statesRead = breakers.GetAsync(ct);
        await Task.WhenAll(cachedRead, configRead, spentRead, statesRead);
        var context = await configRead;
        if (await cachedRead is { } cached)
            return (new RoutePlan([], cached, 0), context);

        var tier = context.Tier;
        var spent = (await spentRead).Values.Sum();
        var budget = UsageKeys.ToMicros(tier.MonthlyBudgetUsd);
        var states = await statesRead;
        var inputTokens = Pricing.EstimateInputTokens(job.Messages);

        var candidates = new List<Candidate>();
        var all = context.Providers;
        foreach (var provider in all.Where(p => p.Enabled && !p.IsOffline && p.Tiers.Contains(job.Tier)))
        {
            var worst = Pricing.Micros(provider, inputTokens, job.MaxOutputTokens);
            if (worst > budget - spent)
                continue;
            var state = states.TryGetValue(provider.Id, out var s) ? s.State : BreakerState.Closed;
            metrics.SetBreakerState(provider.Name, state switch
            {
                BreakerState.Open => Infrastructure.Telemetry.BreakerState.Open,
                BreakerState.HalfOpen => Infrastructure.Telemetry.BreakerState.HalfOpen,
                _ => Infrastructure.Telemetry.BreakerState.Closed,
            });
            if (state == BreakerState.Open || state == BreakerState.HalfOpen && !await breakers.TryClaimProbeAsync(provider.Id, ct))
                continue;
            candidates.Add(new Candidate(provider.Id, provider.Name, provider.Kind, worst));
        }
        if (budget > 0 && spent >= budget * StepDownAt)
            candidates = [.. candidates.OrderBy(c => c.WorstCaseMicros)];
        var offline = all.First(p => p.IsOffline);
        candidates.Add(new Candidate(offline.Id, offline.Name, offline.Kind, 0));
        return (new RoutePlan(candidates, null, candidates.Count > 1 ? candidates.Max(c => c.WorstCaseMicros) : 0), context);
    }

    private async Task<RouteContext> ReadConfigAsync(string tierName, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var read = await conn.QueryMultipleAsync(new Dapper.CommandDefinition($"""
            SELECT {TierRepository.Columns} FROM tiers WHERE name = @tierName;
            SELECT {ProviderRepository.Columns} FROM llm_providers ORDER BY priority, name;
            SELECT global_monthly_usd, hard_stop FROM budget_settings WHERE id = 1;
            """, new { tierName }, cancellationToken: ct));
        var tier = await read.ReadSingleOrDefaultAsync<Tier>() ?? throw new InvalidOperationException($"Unknown tier '{tierName}'.");
        var providers = (await read.ReadAsync<ProviderRow>()).AsList();
        var budget = await read.ReadSingleAsync<(decimal Limit, bool HardStop)>();
        return new RouteContext(tier, providers, new GlobalLimit(budget.HardStop ? UsageKeys.ToMicros(budget.Limit) : null));
    }
}

/// <summary>What routing read: the inline path reuses it for the reservation and the call.</summary>
internal sealed record RouteContext(Tier Tier, IReadOnlyList<ProviderRow> Providers, GlobalLimit GlobalLimit);

/// <summary>The global monthly budget in micro-dollars; null when it does not stop requests (no hard stop).</summary>
internal sealed record GlobalLimit(long? Micros);
