using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// The ordered candidates for a job: a cache hit first; then the tier's enabled providers whose breaker lets them
/// through (a half-open one only when this request wins the probe) and whose worst case still fits the user's
/// remaining budget, by priority and price; cheapest first once the budget is 80 % spent; the offline coach last.
/// </summary>
internal sealed class LlmRouter(
    ProviderRepository providers, TierRepository tiers, CircuitBreakers breakers, ICounterStore counters, LlmCache cache, TimeProvider time,
    Infrastructure.Telemetry.VigorMetrics metrics)
{
    public const double StepDownAt = 0.8;

    public async Task<RoutePlan> RouteAsync(LlmJob job, CancellationToken ct)
    {
        if (job.CacheKey is not null && await cache.GetAsync(job.CacheKey, ct) is { } cached)
            return new RoutePlan([], cached, 0);

        var tier = await tiers.GetAsync(job.Tier, ct) ?? throw new InvalidOperationException($"Unknown tier '{job.Tier}'.");
        var now = time.GetUtcNow();
        var spent = (await counters.GetAsync(UsageKeys.User(job.UserId), [UsageKeys.SpendMonth(now)], ct)).Values.Sum();
        var budget = UsageKeys.ToMicros(tier.MonthlyBudgetUsd);
        var states = await breakers.GetAsync(ct);
        var inputTokens = Pricing.EstimateInputTokens(job.Messages);

        var candidates = new List<Candidate>();
        var all = await providers.ListAsync(ct);
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
        return new RoutePlan(candidates, null, candidates.Count > 1 ? candidates.Max(c => c.WorstCaseMicros) : 0);
    }
}
