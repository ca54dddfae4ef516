using Vigor.Core.Infrastructure.Data;
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

    public async Task<RoutePlan> RouteAsync(LlmJob job, CancellationToken ct) => (await RouteWithContextAsync(job, Prefetch(job.UserId, ct), ct)).Plan;

    /// <summary>
    /// Starts the reads routing needs that do not depend on the prompt, in one batch: the configuration (tiers, providers,
    /// the global limit) and the user's spend this month; the breaker states come from their own short cache.
    /// </summary>
    public RoutePrefetch Prefetch(Guid userId, CancellationToken ct)
    {
        var reads = Reads(userId, ct);
        var batch = PgBatch.ExecuteAsync(dataSource, reads.Statements, ct);
        return reads.After(batch);
    }

    /// <summary>
    /// The same reads as statements that a feature sends in its own first batch (the profile, the conversation), so
    /// routing costs no round trip of its own; <see cref="RouteReads.After"/> once that batch has run.
    /// </summary>
    public RouteReads Reads(Guid userId, CancellationToken ct)
    {
        var tiers = new PgQuery<Tier>($"SELECT {TierRepository.Columns} FROM tiers");
        var providers = new PgQuery<ProviderRow>($"SELECT {ProviderRepository.Columns} FROM llm_providers ORDER BY priority, name");
        var budget = new PgQuery<(decimal Limit, bool HardStop)>("SELECT global_monthly_usd, hard_stop FROM budget_settings WHERE id = 1");
        var partition = UsageKeys.User(userId);
        string[] rows = [UsageKeys.SpendMonth(time.GetUtcNow())];
        var spend = counters.GetStatement(partition, rows);
        // A store outside PostgreSQL (Table Storage) is read at the same time, on its own.
        var spendElsewhere = spend is null ? counters.GetAsync(partition, rows, ct) : null;
        var states = breakers.GetAsync(ct);
        RouteConfig Config()
        {
            var limit = budget.Results.Single();
            return new RouteConfig(tiers.Results, providers.Results, new GlobalLimit(limit.HardStop ? UsageKeys.ToMicros(limit.Limit) : null));
        }
        return new RouteReads(spend is null ? [tiers, providers, budget] : [tiers, providers, budget, spend.Statement],
            batch => new RoutePrefetch(After(batch, Config), spendElsewhere ?? After(batch, spend!.Result), states));
    }

    /// <summary>
    /// The plan, and what was read to make it (the tier, the providers, the global limit), which the inline path hands
    /// on to the reserve step and the call instead of reading them again. Only a cache lookup is left to read here.
    /// </summary>
    /// <param name="readCache">False when the caller reads the cache itself (the inline path, with its reservation): the plan is then the one for a miss.</param>
    public async Task<(RoutePlan Plan, RouteContext Context)> RouteWithContextAsync(LlmJob job, RoutePrefetch prefetch, CancellationToken ct, bool readCache = true)
    {
        var cachedRead = job.CacheKey is null || !readCache ? Task.FromResult<string?>(null) : cache.GetAsync(job.CacheKey, ct);
        await Task.WhenAll(cachedRead, prefetch.Config, prefetch.Spent, prefetch.States);
        var config = await prefetch.Config;
        var context = new RouteContext(
            config.Tiers.FirstOrDefault(t => t.Name == job.Tier) ?? throw new InvalidOperationException($"Unknown tier '{job.Tier}'."),
            config.Providers, config.GlobalLimit);
        if (await cachedRead is { } cached)
            return (new RoutePlan([], cached, 0), context);

        var tier = context.Tier;
        var spent = (await prefetch.Spent).Values.Sum();
        var budget = UsageKeys.ToMicros(tier.MonthlyBudgetUsd);
        var states = await prefetch.States;
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

    // What a batch read, once it has run (its failure is the read's).
    private static async Task<T> After<T>(Task batch, Func<T> read)
    {
        await batch;
        return read();
    }
}

/// <summary>The gateway's configuration as routing reads it: every tier, every provider, the global limit.</summary>
internal sealed record RouteConfig(IReadOnlyList<Tier> Tiers, IReadOnlyList<ProviderRow> Providers, GlobalLimit GlobalLimit);

/// <summary>Routing's reads as statements for a feature's first batch, and the prefetch they make once it has run.</summary>
internal sealed class RouteReads(IReadOnlyList<PgStatement> statements, Func<Task, RoutePrefetch> after)
{
    public IReadOnlyList<PgStatement> Statements => statements;

    /// <summary>What routing read, once <paramref name="batch"/> (the batch that carried <see cref="Statements"/>) has run.</summary>
    public RoutePrefetch After(Task batch) => after(batch);
}

/// <summary>
/// Routing's reads, started before the prompt is built (<see cref="LlmRouter.Prefetch"/>). A request that ends before it
/// routes (a safety answer, a missing conversation) leaves them: their failures are observed here, never unobserved.
/// </summary>
internal sealed class RoutePrefetch
{
    public RoutePrefetch(Task<RouteConfig> config, Task<IReadOnlyDictionary<string, long>> spent,
        Task<IReadOnlyDictionary<Guid, (BreakerState State, ProviderStats Stats)>> states)
    {
        (Config, Spent, States) = (config, spent, states);
        foreach (var task in new Task[] { config, spent, states })
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task<RouteConfig> Config { get; }

    public Task<IReadOnlyDictionary<string, long>> Spent { get; }

    public Task<IReadOnlyDictionary<Guid, (BreakerState State, ProviderStats Stats)>> States { get; }
}

/// <summary>What routing read: the inline path reuses it for the reservation and the call.</summary>
internal sealed record RouteContext(Tier Tier, IReadOnlyList<ProviderRow> Providers, GlobalLimit GlobalLimit);

/// <summary>The global monthly budget in micro-dollars; null when it does not stop requests (no hard stop).</summary>
internal sealed record GlobalLimit(long? Micros);
