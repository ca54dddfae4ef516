using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Admin;

/// <summary>
/// <c>GET admin/providers/health</c>: per provider, the circuit breaker exactly as the router judges it (its sliding
/// window of the ledger), the last 24 hours of the ledger (calls, error rate, latency percentiles, cost per 1,000
/// requests) and when the last half-open probe was claimed.
/// </summary>
internal sealed class ProviderHealthService(
    ProviderRepository providers, CircuitBreakers breakers, IOptions<BreakerOptions> breakerOptions, NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(24);

    public async Task<IReadOnlyList<ProviderHealth>> GetAsync(CancellationToken ct)
    {
        var rows = await providers.ListAsync(ct);
        var states = await breakers.GetAsync(ct, fresh: true);
        var day = await DayStatsAsync(ct);
        var windowSeconds = (int)breakerOptions.Value.Window.TotalSeconds;
        return rows.Select(p =>
        {
            var (state, window) = states.TryGetValue(p.Id, out var s) ? s : (BreakerState.Closed, new ProviderStats(0, 0, 0, 0, null, null));
            var d = day.GetValueOrDefault(p.Id) ?? new DayRow(p.Id, 0, 0, 0, 0, 0, null, null, null);
            return new ProviderHealth(p.Id, p.Name, p.Kind, p.Enabled, Name(state),
                new BreakerWindow(windowSeconds, window.Calls, window.Failures, Math.Round(window.FailureRate, 4), window.P50Ms, window.P95Ms),
                new ProviderDayStats(d.Calls, d.Failures, d.Calls == 0 ? 0 : Math.Round((double)d.Failures / d.Calls, 4), d.P50, d.P95, d.CostUsd,
                    d.Calls == 0 ? 0 : Math.Round(d.CostUsd / d.Calls * 1000m, 6), d.LastCall, d.LastFailure),
                d.LastProbe);
        }).ToList();
    }

    private sealed record DayRow(Guid ProviderId, int Calls, int Failures, double P50, double P95, decimal CostUsd, DateTime? LastCall, DateTime? LastFailure, DateTime? LastProbe);

    private async Task<Dictionary<Guid, DayRow>> DayStatsAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // Failures are counted as the breakers count them: an answer that failed validation still reached the vendor.
        var rows = await conn.QueryAsync<DayRow>(new CommandDefinition("""
            SELECT p.id AS provider_id, coalesce(c.calls, 0) AS calls, coalesce(c.failures, 0) AS failures, coalesce(c.p50, 0) AS p50,
                   coalesce(c.p95, 0) AS p95, coalesce(c.cost_usd, 0) AS cost_usd, c.last_call, c.last_failure, b.probe_claimed_at AS last_probe
            FROM llm_providers p
            LEFT JOIN (
                SELECT provider_id, count(*)::int AS calls, count(*) FILTER (WHERE outcome NOT IN ('ok', 'invalid_output'))::int AS failures,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(latency_us / 1000.0, latency_ms)) AS p50,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY coalesce(latency_us / 1000.0, latency_ms)) AS p95,
                       sum(cost_usd) AS cost_usd, max(created_at) AS last_call,
                       max(created_at) FILTER (WHERE outcome NOT IN ('ok', 'invalid_output')) AS last_failure
                FROM llm_calls
                WHERE created_at > now() - make_interval(secs => @seconds) AND provider_id IS NOT NULL AND NOT cache_hit
                GROUP BY provider_id
            ) c ON c.provider_id = p.id
            LEFT JOIN provider_breakers b ON b.provider_id = p.id
            """, new { seconds = Period.TotalSeconds }, cancellationToken: ct));
        return rows.ToDictionary(r => r.ProviderId);
    }

    private static string Name(BreakerState state) => state switch
    {
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half_open",
        _ => "closed",
    };
}
