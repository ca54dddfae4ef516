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

    /// <summary>
    /// How long an instance reuses the window's counts it read from the ledger before reading them again. Outcomes
    /// this instance records drop them at once; other instances' outcomes reach it within this time.
    /// </summary>
    public TimeSpan StatsMaxAge { get; set; } = TimeSpan.FromSeconds(1);
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
    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlyDictionary<Guid, ProviderStats> Stats);

    private Snapshot? snapshot;
    private long recorded;
    private long lastUsedTicks;

    /// <summary>A route asked for the states within this time: <see cref="RefreshIfInUseAsync"/> keeps its counts fresh.</summary>
    internal static readonly TimeSpan InUse = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every provider's state now. The window's counts come from the shared ledger, reused for at most
    /// <see cref="BreakerOptions.StatsMaxAge"/>; the state is judged against the current time, so a cooldown ends exactly on time.
    /// </summary>
    /// <param name="fresh">Read the ledger now (the admins' health view), whatever the age of the reused counts.</param>
    public async Task<IReadOnlyDictionary<Guid, (BreakerState State, ProviderStats Stats)>> GetAsync(CancellationToken ct, bool fresh = false)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        Volatile.Write(ref lastUsedTicks, now.UtcTicks);
        var current = Volatile.Read(ref snapshot);
        IReadOnlyDictionary<Guid, ProviderStats> stats;
        if (!fresh && current is not null && now >= current.ReadAt && now - current.ReadAt < o.StatsMaxAge)
        {
            stats = current.Stats;
        }
        else
        {
            stats = await ReadAsync(now, keep: !fresh, latency: fresh, ct);
        }
        return stats.ToDictionary(s => s.Key, s => (StateOf(s.Value, o, now.UtcDateTime), s.Value));
    }

    /// <summary>
    /// Reads the window's counts again shortly before they expire while routes use them (<see cref="BreakerStatsRefresher"/>),
    /// so a route rarely waits for the ledger's aggregate: at ~16 requests/s one request in 16 did, which was the p95. The
    /// ledger is read no more often than before: once per <see cref="BreakerOptions.StatsMaxAge"/>.
    /// </summary>
    public async Task RefreshIfInUseAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now.UtcTicks - Volatile.Read(ref lastUsedTicks) > InUse.Ticks)
            return;
        if (Volatile.Read(ref snapshot) is { } current && now >= current.ReadAt && now - current.ReadAt < options.Value.StatsMaxAge * 0.75)
            return;
        await ReadAsync(now, keep: true, latency: false, ct);
    }

    // The counts, kept only when no outcome was recorded meanwhile (Recorded drops a snapshot that a read in flight would restore).
    private async Task<IReadOnlyDictionary<Guid, ProviderStats>> ReadAsync(DateTimeOffset now, bool keep, bool latency, CancellationToken ct)
    {
        var version = Interlocked.Read(ref recorded);
        var stats = await ledger.RecentAsync(options.Value.Window, ct, latency);
        if (keep && Interlocked.Read(ref recorded) == version)
            Volatile.Write(ref snapshot, new Snapshot(now, stats));
        return stats;
    }

    /// <summary>
    /// This instance wrote outcomes to the ledger: a failure, or any outcome of a provider with failures in the window
    /// (a success can close its breaker), makes the next route read the counts again.
    /// </summary>
    public void Recorded(IEnumerable<AttemptResult> attempts)
    {
        var stats = Volatile.Read(ref snapshot)?.Stats;
        if (stats is null || attempts.Any(a => !a.Succeeded || stats.TryGetValue(a.ProviderId, out var s) && s.Failures > 0))
        {
            Interlocked.Increment(ref recorded);
            Volatile.Write(ref snapshot, null);
        }
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

/// <summary>
/// Keeps <see cref="CircuitBreakers"/>' counts fresh in the background while routes use them (it looks every quarter
/// <see cref="BreakerOptions.StatsMaxAge"/> and reads when they are three quarters old); an idle instance reads nothing. A failure this instance records still drops them at once,
/// and the next route reads them itself, as before.
/// </summary>
internal sealed partial class BreakerStatsRefresher(
    CircuitBreakers breakers, IOptions<BreakerOptions> options, TimeProvider time, Microsoft.Extensions.Logging.ILogger<BreakerStatsRefresher> logger)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.StatsMaxAge / 4;
        if (every <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await breakers.RefreshIfInUseAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next route reads the counts itself; nothing is lost.
                    RefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(1, Microsoft.Extensions.Logging.LogLevel.Debug, "Breaker counts could not be refreshed ahead of time")]
    private static partial void RefreshFailed(Microsoft.Extensions.Logging.ILogger logger, Exception e);
}
