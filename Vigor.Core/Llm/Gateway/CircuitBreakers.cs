using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Vigor.Core.Llm.Gateway;

public sealed class BreakerOptions
{
    public const string Section = "Llm:Breakers";

    /// <summary>The sliding window of ledger rows the failure rate is computed over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Fewer calls than this in the window never trip the breaker.</summary>
    public int MinimumCalls { get; set; } = 5;

    public double FailureRate { get; set; } = 0.5;

    /// <summary>How long an open breaker waits after the last failure before one half-open probe is let through.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);
}

public enum BreakerState { Closed, Open, HalfOpen }

/// <summary>
/// Per-provider circuit breakers whose state every instance shares: it is derived from the shared call ledger
/// (failure rate over a sliding window with a minimum count, cooldown after the last failure), and the single
/// half-open probe is claimed with a conditional update, so only one request in the whole app tests a provider.
/// A success newer than the last failure closes the breaker.
/// </summary>
internal sealed class CircuitBreakers(LedgerRepository ledger, NpgsqlDataSource dataSource, IOptions<BreakerOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<Guid, (BreakerState State, ProviderStats Stats)>> GetAsync(CancellationToken ct)
    {
        var o = options.Value;
        var stats = await ledger.RecentAsync(o.Window, ct);
        var now = time.GetUtcNow().UtcDateTime;
        return stats.ToDictionary(s => s.Key, s => (StateOf(s.Value, o, now), s.Value));
    }

    public static BreakerState StateOf(ProviderStats stats, BreakerOptions o, DateTime now)
    {
        var tripped = stats.Calls >= o.MinimumCalls && stats.FailureRate >= o.FailureRate
                      && stats.LastFailure is { } failure && (stats.LastSuccess is not { } success || failure > success);
        if (!tripped)
            return BreakerState.Closed;
        return now - stats.LastFailure!.Value < o.Cooldown ? BreakerState.Open : BreakerState.HalfOpen;
    }

    /// <summary>True for exactly one caller per cooldown: the one that may send the half-open probe.</summary>
    public async Task<bool> TryClaimProbeAsync(Guid providerId, CancellationToken ct)
    {
        // The app's clock, as for the ledger rows the state is derived from (LedgerRepository).
        var now = time.GetUtcNow();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var claimed = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO provider_breakers (provider_id, opened_at, probe_claimed_at) VALUES (@providerId, @now, @now)
            ON CONFLICT (provider_id) DO UPDATE SET probe_claimed_at = @now
            WHERE provider_breakers.probe_claimed_at IS NULL OR provider_breakers.probe_claimed_at < @claimedBefore
            """, new { providerId, now = now.UtcDateTime, claimedBefore = (now - options.Value.Cooldown).UtcDateTime }, cancellationToken: ct));
        return claimed > 0;
    }
}
