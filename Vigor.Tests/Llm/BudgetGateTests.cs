using Azure.Data.Tables;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vigor.Core.Infrastructure.Storage;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class BudgetGateTests
{
    private static readonly Tier Free = new() { Name = "free", RequestsPerDay = 10, RequestsPerWeek = 50, RequestsPerMonth = 200, MonthlyBudgetUsd = 0.50m };

    private static (BudgetGate Gate, CounterStore Counters) NewGate()
    {
        var counters = new CounterStore(new TableServiceClient(TestEnvironment.Storage),
            Options.Create(new StorageOptions { TablePrefix = "g" + Guid.NewGuid().ToString("N")[..10] }), TimeProvider.System);
        return (new BudgetGate(counters, SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System), counters);
    }

    [TestMethod]
    public async Task Reserve_BurstOf30_ExactlyTheDailyQuotaIsAllowed()
    {
        var (gate, _) = NewGate();
        var user = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => gate.ReserveAsync($"job-{i}", user, Free, 1_000, CancellationToken.None)));

        Assert.AreEqual(10, results.Count(r => r.Denial == Denial.None));
        Assert.AreEqual(20, results.Count(r => r.Denial == Denial.QuotaDay));
        Assert.IsTrue(results.Where(r => r.Denial == Denial.QuotaDay).All(r => r.ResetsAt > DateTimeOffset.UtcNow));
    }

    [TestMethod]
    public async Task Reserve_UserBudgetFull_CountsTheRequestButOnlyOfflineMayAnswer()
    {
        var (gate, counters) = NewGate();
        var user = Guid.NewGuid();

        var results = new List<Reservation>();
        for (var i = 0; i < 3; i++)
            results.Add(await gate.ReserveAsync($"job-{i}", user, Free, 200_000, CancellationToken.None));
        var spent = await counters.GetAsync(UsageKeys.User(user), [UsageKeys.SpendMonth(DateTimeOffset.UtcNow), UsageKeys.RequestsDay(DateTimeOffset.UtcNow)], CancellationToken.None);

        Assert.AreEqual(200_000, results[0].ReservedMicros);
        Assert.AreEqual(200_000, results[1].ReservedMicros);
        Assert.IsTrue(results[2].BudgetExhausted);
        Assert.AreEqual(0, results[2].ReservedMicros);
        Assert.AreEqual(400_000, spent[UsageKeys.SpendMonth(DateTimeOffset.UtcNow)]);
        Assert.AreEqual(3, spent[UsageKeys.RequestsDay(DateTimeOffset.UtcNow)]);
    }

    [TestMethod]
    public async Task Settle_AfterMidnightOfTheMonthsLastDay_ReplacesTheHoldInTheMonthItWasTaken()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero));
        var counters = new CounterStore(new TableServiceClient(TestEnvironment.Storage),
            Options.Create(new StorageOptions { TablePrefix = "g" + Guid.NewGuid().ToString("N")[..10] }), clock);
        var gate = new BudgetGate(counters, SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>(), clock);
        var user = Guid.NewGuid();
        var november = clock.GetUtcNow();

        var reservation = await gate.ReserveAsync("job-m", user, Free, 300_000, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await gate.SettleAsync("job-m", user, reservation.ReservedMicros, 12_345, CancellationToken.None, reservation.SpendMonth);
        var december = clock.GetUtcNow();

        Assert.AreEqual(UsageKeys.SpendMonth(november), reservation.SpendMonth);
        var mine = await counters.GetAsync(UsageKeys.User(user), [UsageKeys.SpendMonth(november), UsageKeys.SpendMonth(december)], CancellationToken.None);
        var global = await counters.GetAsync(UsageKeys.Global, [UsageKeys.SpendMonth(november), UsageKeys.SpendMonth(december)], CancellationToken.None);
        Assert.AreEqual(12_345, mine[UsageKeys.SpendMonth(november)], "the hold is replaced by the actual cost in November");
        Assert.IsFalse(mine.ContainsKey(UsageKeys.SpendMonth(december)), "December owes nothing");
        Assert.AreEqual(12_345, global[UsageKeys.SpendMonth(november)]);
        Assert.IsFalse(global.ContainsKey(UsageKeys.SpendMonth(december)));
    }

    [TestMethod]
    public async Task ReserveAndSettle_Twice_CountOnce_AndSettleReplacesTheHold()
    {
        var (gate, counters) = NewGate();
        var user = Guid.NewGuid();

        await gate.ReserveAsync("job-x", user, Free, 300_000, CancellationToken.None);
        await gate.ReserveAsync("job-x", user, Free, 300_000, CancellationToken.None);
        await gate.SettleAsync("job-x", user, 300_000, 12_345, CancellationToken.None);
        await gate.SettleAsync("job-x", user, 300_000, 12_345, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var mine = await counters.GetAsync(UsageKeys.User(user), [UsageKeys.SpendMonth(now), UsageKeys.RequestsDay(now)], CancellationToken.None);
        var global = await counters.GetAsync(UsageKeys.Global, [UsageKeys.SpendMonth(now), UsageKeys.SpendDay(now)], CancellationToken.None);

        Assert.AreEqual(12_345, mine[UsageKeys.SpendMonth(now)]);
        Assert.AreEqual(1, mine[UsageKeys.RequestsDay(now)]);
        Assert.AreEqual(12_345, global[UsageKeys.SpendMonth(now)]);
        Assert.AreEqual(12_345, global[UsageKeys.SpendDay(now)]);
    }

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task Reserve_GlobalBudget_NeverExceededUnderABurst(string kind)
    {
        var rich = new Tier { Name = "unlimited", RequestsPerDay = 1000, RequestsPerWeek = 5000, RequestsPerMonth = 20000, MonthlyBudgetUsd = 1000m };
        await using var host = await TestHost.StartAsync("globalbudget");
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("UPDATE budget_settings SET global_monthly_usd = 1.00");
        // The PostgreSQL store on the host's own database, so the global partition is this test's alone.
        ICounterStore counters = kind == CounterStoreOptions.TableStorage ? NewGate().Counters
            : new PgCounterStore(host.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System);
        var isolated = new BudgetGate(counters, host.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(i => isolated.ReserveAsync($"job-{i}", Guid.NewGuid(), rich, 100_000, CancellationToken.None)));
        var global = await counters.GetAsync(UsageKeys.Global, [UsageKeys.SpendMonth(DateTimeOffset.UtcNow)], CancellationToken.None);

        Assert.AreEqual(10, results.Count(r => r.ReservedMicros == 100_000));
        Assert.AreEqual(15, results.Count(r => r.BudgetExhausted));
        Assert.AreEqual(1_000_000, global[UsageKeys.SpendMonth(DateTimeOffset.UtcNow)]);
    }
    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task Reserve_WithTheFirstProviderHold_HoldsItOnlyWhenABudgetIsHeld_AndReportsACapThatRefuses(string kind)
    {
        var data = SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>();
        ICounterStore counters = kind == CounterStoreOptions.TableStorage ? NewGate().Counters : new PgCounterStore(data, TimeProvider.System);
        var gate = new BudgetGate(counters, data, TimeProvider.System);
        var user = Guid.NewGuid();
        var provider = new ProviderRow { Id = Guid.NewGuid(), Name = "capped", Kind = "openai", Model = "m", DailyCapUsd = 0.25m };
        var now = DateTimeOffset.UtcNow;
        var noGlobalLimit = new GlobalLimit(null);

        var results = new List<(Reservation Reservation, ProviderHold Hold)>();
        for (var i = 1; i <= 3; i++)
            results.Add(await gate.ReserveAsync($"hold-{i}", user, Free, 200_000, noGlobalLimit, new FirstHold($"hold-{i}:1", provider, 200_000), CancellationToken.None));
        var held = await counters.GetAsync(UsageKeys.Provider(provider.Id), [UsageKeys.SpendDay(now)], CancellationToken.None);
        var spent = await counters.GetAsync(UsageKeys.User(user), [UsageKeys.SpendMonth(now), UsageKeys.RequestsDay(now)], CancellationToken.None);

        Assert.AreEqual((200_000L, ProviderHold.Held), (results[0].Reservation.ReservedMicros, results[0].Hold));
        Assert.AreEqual((200_000L, ProviderHold.Refused), (results[1].Reservation.ReservedMicros, results[1].Hold),
            "the provider's cap refuses the second hold; the user's reservation stands");
        Assert.AreEqual((true, ProviderHold.NotTried), (results[2].Reservation.BudgetExhausted, results[2].Hold),
            "with the user's budget full only the offline coach may answer: no provider is held");
        Assert.AreEqual(200_000, held[UsageKeys.SpendDay(now)]);
        Assert.AreEqual((400_000L, 3L), (spent[UsageKeys.SpendMonth(now)], spent[UsageKeys.RequestsDay(now)]));

        var again = await gate.ReserveAsync("hold-1", user, Free, 200_000, noGlobalLimit, new FirstHold("hold-1:1", provider, 200_000), CancellationToken.None);
        Assert.AreEqual((200_000L, ProviderHold.NotTried), (again.Reservation.ReservedMicros, again.Hold),
            "a re-run reads its hold and leaves the provider to the attempt, whose own hold is then a no-op");
        await gate.SettleAsync("hold-1", user, 200_000, 50_000, CancellationToken.None, provider: new ProviderSettle("hold-1:1", provider.Id, 200_000, 50_000));
        Assert.AreEqual(50_000, (await counters.GetAsync(UsageKeys.Provider(provider.Id), [UsageKeys.SpendDay(now)], CancellationToken.None))[UsageKeys.SpendDay(now)]);
        Assert.AreEqual(250_000, (await counters.GetAsync(UsageKeys.User(user), [UsageKeys.SpendMonth(now)], CancellationToken.None))[UsageKeys.SpendMonth(now)]);
    }

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task ReserveAndSettle_WithOtherWrites_CommitThemAndChangeTheCountersOnce(string kind)
    {
        var data = SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>();
        ICounterStore counters = kind == CounterStoreOptions.TableStorage ? NewGate().Counters : new PgCounterStore(data, TimeProvider.System);
        var gate = new BudgetGate(counters, data, TimeProvider.System);
        var owner = await SharedHost.Host.RegisterAsync();
        var user = Guid.NewGuid();
        var jobId = "with-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var row = new Vigor.Core.Infrastructure.Data.PgStatement("INSERT INTO jobs (id, user_id, kind) VALUES ($1, $2, 'with') ON CONFLICT (id) DO NOTHING", jobId, owner.UserId);
        var done = new Vigor.Core.Infrastructure.Data.PgStatement("UPDATE jobs SET completed_at = now() WHERE id = $1 AND completed_at IS NULL", jobId);

        var (reservation, _) = await gate.ReserveAsync(jobId, user, Free, 100_000, new GlobalLimit(null), null, CancellationToken.None, with: [row]);
        var settled = await gate.SettleAsync(jobId, user, reservation.ReservedMicros, 30_000, CancellationToken.None, reservation.SpendMonth, with: [done]);
        var again = await gate.SettleAsync(jobId, user, reservation.ReservedMicros, 30_000, CancellationToken.None, reservation.SpendMonth, with: [done]);
        var spent = await counters.GetAsync(UsageKeys.User(user), [UsageKeys.SpendMonth(now), UsageKeys.RequestsDay(now)], CancellationToken.None);
        await using var conn = await data.OpenConnectionAsync();
        var completed = await conn.ExecuteScalarAsync<bool>("SELECT completed_at IS NOT NULL FROM jobs WHERE id = @jobId", new { jobId });

        Assert.AreEqual(100_000, reservation.ReservedMicros);
        Assert.IsTrue(completed, "the write that went with the settlement committed");
        Assert.AreEqual((1, 0), (settled!.RecordsAffected[0], again!.RecordsAffected[0]), "each write's own count comes back");
        Assert.AreEqual((30_000L, 1L), (spent[UsageKeys.SpendMonth(now)], spent[UsageKeys.RequestsDay(now)]), "the hold is replaced once");
    }
}
