using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Llm.Gateway;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class CircuitBreakerTests
{
    private static readonly BreakerOptions Options = new() { MinimumCalls = 5, FailureRate = 0.5, Cooldown = TimeSpan.FromSeconds(30) };
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void State_ClosedBelowTheMinimumCount_EvenWhenAllFail()
        => Assert.AreEqual(BreakerState.Closed, CircuitBreakers.StateOf(new ProviderStats(4, 4, 0, 0, Now, null), Options, Now));

    [TestMethod]
    public void State_OpenWhileCoolingDown_ThenHalfOpen_ThenClosedAfterASuccess()
    {
        var failing = new ProviderStats(6, 4, 0, 0, Now.AddSeconds(-10), Now.AddMinutes(-1));

        var open = CircuitBreakers.StateOf(failing, Options, Now);
        var halfOpen = CircuitBreakers.StateOf(failing, Options, Now.AddSeconds(25));
        var closed = CircuitBreakers.StateOf(failing with { Calls = 7, LastSuccess = Now.AddSeconds(26) }, Options, Now.AddSeconds(27));

        Assert.AreEqual(BreakerState.Open, open);
        Assert.AreEqual(BreakerState.HalfOpen, halfOpen);
        Assert.AreEqual(BreakerState.Closed, closed);
    }

    [TestMethod]
    public void State_ClosedBelowTheFailureRate()
        => Assert.AreEqual(BreakerState.Closed, CircuitBreakers.StateOf(new ProviderStats(10, 4, 0, 0, Now, Now.AddSeconds(-1)), Options, Now));

    [TestMethod]
    public async Task HalfOpenProbe_ExactlyOneClaimAcrossConcurrentCallers()
    {
        var breakers = SharedHost.Host.Services.GetRequiredService<CircuitBreakers>();
        var providerId = Guid.NewGuid();
        await using (var conn = new NpgsqlConnection(SharedHost.Host.ConnectionString))
            await conn.ExecuteAsync("INSERT INTO llm_providers (id, name, kind, model) VALUES (@providerId, @name, 'openai', 'm')",
                new { providerId, name = "probe-" + providerId.ToString("N")[..8] });

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => breakers.TryClaimProbeAsync(providerId, CancellationToken.None)));

        Assert.AreEqual(1, claims.Count(c => c));
    }

    [TestMethod]
    public async Task RefreshIfInUse_ReadsOtherInstancesOutcomesAhead_OnlyWhileRoutesAskForTheStates()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var breakers = new CircuitBreakers(SharedHost.Host.Services.GetRequiredService<LedgerRepository>(), SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>(),
            Microsoft.Extensions.Options.Options.Create(new BreakerOptions { StatsMaxAge = TimeSpan.FromMinutes(5) }), clock);
        Guid failing = Guid.NewGuid(), later = Guid.NewGuid();
        async Task FailAsync(Guid provider)
        {
            await using var conn = new NpgsqlConnection(SharedHost.Host.ConnectionString);
            await conn.ExecuteAsync("""
                INSERT INTO llm_calls (job_id, attempt, tier, feature, provider_id, provider_kind, model, outcome, created_at)
                SELECT 'refresh-' || @provider || '-' || n, 1, 'free', 'coach_chat', @provider, 'openai', 'm', 'server_error', now() FROM generate_series(1, 6) AS n
                """, new { provider });
        }

        await breakers.GetAsync(CancellationToken.None);
        await FailAsync(failing);
        var cached = await breakers.GetAsync(CancellationToken.None);
        await breakers.RefreshIfInUseAsync(CancellationToken.None);
        var young = await breakers.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(4));
        var old = await breakers.GetAsync(CancellationToken.None);
        await breakers.RefreshIfInUseAsync(CancellationToken.None);
        var refreshed = await breakers.GetAsync(CancellationToken.None);
        clock.Advance(CircuitBreakers.InUse + TimeSpan.FromSeconds(1));
        await FailAsync(later);
        await breakers.RefreshIfInUseAsync(CancellationToken.None);
        var idle = await breakers.GetAsync(CancellationToken.None);

        Assert.IsFalse(cached.ContainsKey(failing), "within StatsMaxAge a route reuses the counts it has");
        Assert.IsFalse(young.ContainsKey(failing), "counts younger than three quarters of StatsMaxAge are not read again");
        Assert.IsFalse(old.ContainsKey(failing), "a route still reuses counts four minutes old (StatsMaxAge is five here)");
        Assert.AreEqual(6, refreshed[failing].Stats.Failures, "the refresh read the other instance's failures ahead of the next route");
        Assert.IsFalse(idle.ContainsKey(later), "no route asked for the states for a while: the refresh read nothing");
    }
}

