using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Llm.Gateway;

/// <summary>One row of the LLM call ledger: every attempt, including failures and cache hits.</summary>
public sealed record LedgerEntry(
    string JobId, int Attempt, Guid? UserId, string Tier, string Feature, Guid? ProviderId, string ProviderKind, string Model,
    int InputTokens, int OutputTokens, decimal CostUsd, double LatencyMs, string Outcome, bool CacheHit);

/// <summary>A provider's recent calls: failures are transport or vendor failures (an answer that failed validation is not).</summary>
public sealed record ProviderStats(int Calls, int Failures, double P50Ms, double P95Ms, DateTime? LastFailure, DateTime? LastSuccess)
{
    public double FailureRate => Calls == 0 ? 0 : (double)Failures / Calls;
}

/// <summary>
/// The ledger is stamped with the app's clock (<see cref="TimeProvider"/>), the same clock the circuit breakers judge
/// the window and the cooldown by, so a breaker never compares times from two clocks.
/// </summary>
internal sealed class LedgerRepository(NpgsqlDataSource dataSource, Usage.UsageCache usage, TimeProvider time)
{
    /// <summary>Writes the attempts of a job; (job, attempt) is unique, so a settle that runs twice writes once.</summary>
    public async Task WriteAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
            return;
        await PgBatch.ExecuteAsync(dataSource, [WriteStatement(entries)], ct);
        Written(entries);
    }

    /// <summary>
    /// <see cref="WriteAsync"/> as one statement, for a batch that commits it with other writes (the settle step); call
    /// <see cref="Written"/> once it has committed.
    /// </summary>
    public PgStatement WriteStatement(IReadOnlyList<LedgerEntry> entries) => new("""
        INSERT INTO llm_calls (job_id, attempt, user_id, tier, feature, provider_id, provider_kind, model, input_tokens, output_tokens,
                               cost_usd, latency_us, latency_ms, outcome, cache_hit, created_at)
        SELECT e.job, e.attempt, e.user_id, e.tier, e.feature, e.provider, e.kind, e.model, e.input, e.output, e.cost,
               round(e.latency * 1000), round(e.latency), e.outcome, e.cache_hit, $15
        FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[],
                    $9::int[], $10::int[], $11::numeric[], $12::float8[], $13::text[], $14::boolean[])
             AS e (job, attempt, user_id, tier, feature, provider, kind, model, input, output, cost, latency, outcome, cache_hit)
        ON CONFLICT (job_id, attempt) DO NOTHING
        """,
        entries.Select(e => e.JobId).ToArray(), entries.Select(e => e.Attempt).ToArray(), entries.Select(e => e.UserId).ToArray(),
        entries.Select(e => e.Tier).ToArray(), entries.Select(e => e.Feature).ToArray(), entries.Select(e => e.ProviderId).ToArray(),
        entries.Select(e => e.ProviderKind).ToArray(), entries.Select(e => e.Model).ToArray(), entries.Select(e => e.InputTokens).ToArray(),
        entries.Select(e => e.OutputTokens).ToArray(), entries.Select(e => e.CostUsd).ToArray(), entries.Select(e => e.LatencyMs).ToArray(),
        entries.Select(e => e.Outcome).ToArray(), entries.Select(e => e.CacheHit).ToArray(), time.GetUtcNow().UtcDateTime);

    /// <summary>After a commit of <see cref="WriteStatement"/>: me/usage on this instance is right at once; the others hear migration 0014's notification.</summary>
    public void Written(IReadOnlyList<LedgerEntry> entries)
    {
        foreach (var userId in entries.Select(e => e.UserId).OfType<Guid>().Distinct())
            usage.Invalidate(userId);
    }

    /// <summary>Outcomes per provider over the last <paramref name="window"/>: what the circuit breakers judge.</summary>
    /// <param name="latency">Also the latency percentiles (the admins' health view). Routing does not need them, and
    /// they sort every call of the window, which is most of the query's cost.</param>
    public async Task<IReadOnlyDictionary<Guid, ProviderStats>> RecentAsync(TimeSpan window, CancellationToken ct, bool latency = true)
    {
        var percentiles = latency
            ? """
              coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(latency_us / 1000.0, latency_ms)), 0), coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY coalesce(latency_us / 1000.0, latency_ms)), 0)
              """
            : "0::float8, 0::float8";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(Guid ProviderId, int Calls, int Failures, double P50, double P95, DateTime? LastFailure, DateTime? LastSuccess)>(new CommandDefinition($"""
            SELECT provider_id, count(*)::int, count(*) FILTER (WHERE outcome NOT IN ('ok', 'invalid_output'))::int,
                   {percentiles},
                   max(created_at) FILTER (WHERE outcome NOT IN ('ok', 'invalid_output')),
                   max(created_at) FILTER (WHERE outcome IN ('ok', 'invalid_output'))
            FROM llm_calls
            WHERE created_at > @since AND provider_id IS NOT NULL AND NOT cache_hit
            GROUP BY provider_id
            """, new { since = (time.GetUtcNow() - window).UtcDateTime }, cancellationToken: ct));
        return rows.ToDictionary(r => r.ProviderId, r => new ProviderStats(r.Calls, r.Failures, r.P50, r.P95, r.LastFailure, r.LastSuccess));
    }
}
