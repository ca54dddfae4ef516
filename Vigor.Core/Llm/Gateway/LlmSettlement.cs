using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Llm.Gateway;

/// <summary>The settle step: the ledger rows of every attempt, the budgets moved from the hold to the actual cost, the cache filled.</summary>
internal sealed class LlmSettlement(
    Npgsql.NpgsqlDataSource dataSource, BudgetGate gate, LedgerRepository ledger, CircuitBreakers breakers, LlmCache cache, Microsoft.Extensions.Options.IOptions<LlmOptions> options, Infrastructure.Telemetry.VigorMetrics metrics)
{
    /// <param name="provider">The first attempt's provider hold when the inline path deferred its settling to this step.</param>
    /// <param name="with">Writes that commit with the ledger rows and the counters (the inline path's reply and job result).</param>
    /// <returns>How many rows each of <paramref name="with"/> changed.</returns>
    public async Task<IReadOnlyList<int>> SettleAsync(SettleInput input, CancellationToken ct, ProviderSettle? provider = null, IReadOnlyList<PgStatement>? with = null)
    {
        var job = input.Job;
        var entries = EntriesOf(input);
        // The ledger rows, the counters and the caller's writes are each idempotent by job id: one batch, one round trip and
        // one transaction when the counters live in PostgreSQL (BudgetGate).
        List<PgStatement> writes = entries.Count > 0 ? [ledger.WriteStatement(entries)] : [];
        writes.AddRange(with ?? []);
        var written = await gate.SettleAsync(job.JobId, job.UserId, input.ReservedMicros, input.Attempts.Sum(a => a.CostMicros), ct, input.ReservedMonth, provider, writes);
        ledger.Written(entries);
        breakers.Recorded(input.Attempts);
        for (var i = 0; i < input.Attempts.Count; i++)
        {
            var a = input.Attempts[i];
            metrics.RecordLlmCall(job.Tier, a.ProviderName, a.Outcome, a.InputTokens, a.OutputTokens, a.CostMicros / 1_000_000m, TimeSpan.FromMilliseconds(a.LatencyMs));
            if (!a.Succeeded && i < input.Attempts.Count - 1)
                metrics.RecordFallback(job.Tier, a.ProviderName, a.Outcome);
        }
        var answeredByModel = input.Attempts.LastOrDefault() is { Succeeded: true, ProviderKind: not "offline" };
        if (job.CacheKey is not null && input.Text is not null && answeredByModel)
            await cache.PutAsync(job.CacheKey, job.Feature, input.Text, options.Value.CacheTtl, ct);
        return written is null ? [] : written.RecordsAffected.Skip(entries.Count > 0 ? 1 : 0).Take(with?.Count ?? 0).ToList();
    }

    /// <summary>
    /// A remembered cache hit (<see cref="LlmCache.Recall"/>): <paramref name="before"/> (the quota, the guard), the ledger
    /// row, then <paramref name="after"/> (the feature's write, the job's row), in one batch: one round trip, one
    /// transaction. Nothing is held, so no counter is settled. Throws what the guard raises.
    /// </summary>
    /// <returns>How many rows each of <paramref name="after"/> changed.</returns>
    public async Task<IReadOnlyList<int>> CommitHitAsync(SettleInput input, IReadOnlyList<PgStatement> before, IReadOnlyList<PgStatement> after, CancellationToken ct)
    {
        var entries = EntriesOf(input);
        var batch = await PgBatch.ExecuteAsync(dataSource, [.. before, ledger.WriteStatement(entries), .. after], ct);
        ledger.Written(entries);
        return batch.RecordsAffected.Skip(before.Count + 1).ToList();
    }

    private static List<LedgerEntry> EntriesOf(SettleInput input)
    {
        var job = input.Job;
        return input.CacheHit
            ? [new LedgerEntry(job.JobId, 0, job.UserId, job.Tier, job.Feature, null, "cache", "cache", 0, 0, 0, 0, Outcomes.Ok, true)]
            : input.Attempts.Select((a, i) => new LedgerEntry(job.JobId, i + 1, job.UserId, job.Tier, job.Feature, a.ProviderId, a.ProviderKind, a.Model,
                a.InputTokens, a.OutputTokens, a.CostMicros / 1_000_000m, a.LatencyMs, a.Outcome, false)).ToList();
    }
}

public sealed class LlmOptions
{
    public const string Section = "Llm";

    /// <summary>How long a non-personal answer is served from the cache.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most output tokens any feature may ask for; bounds the worst-case reservation.</summary>
    public int MaxOutputTokens { get; set; } = 2048;
}
