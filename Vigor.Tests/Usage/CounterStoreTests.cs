using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Storage;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>
/// Both stores keep the same contract: Table Storage against Azurite (ETags and entity group transactions) and
/// PostgreSQL (counter_apply's row locks). Each test gets partitions no other test uses.
/// </summary>
[TestClass]
public sealed class CounterStoreTests
{
    private static (ICounterStore Store, string Prefix) NewStore(string kind) => kind switch
    {
        CounterStoreOptions.TableStorage => (new CounterStore(new TableServiceClient(TestEnvironment.Storage),
            Options.Create(new StorageOptions { TablePrefix = "c" + Guid.NewGuid().ToString("N")[..10] }), TimeProvider.System), ""),
        _ => (new PgCounterStore(SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System), Guid.NewGuid().ToString("N") + ":"),
    };

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task Apply_ParallelBurst_ExactlyLimitSucceed(string kind)
    {
        var (store, p) = NewStore(kind);
        const int limit = 7;

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            store.ApplyAsync(p + "user:a", $"job-{i}", [new CounterDelta("req:d", 1, limit), new CounterDelta("req:m", 1, 100)], CancellationToken.None)));
        var counts = await store.GetAsync(p + "user:a", ["req:d", "req:m"], CancellationToken.None);

        Assert.AreEqual(limit, results.Count(r => r == CounterResult.Applied));
        Assert.AreEqual(30 - limit, results.Count(r => r == CounterResult.LimitReached));
        Assert.AreEqual(limit, counts["req:d"]);
        Assert.AreEqual(limit, counts["req:m"], "a refused change leaves every row of the partition untouched");
    }

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task Apply_SameOperationTwice_CountsOnce(string kind)
    {
        var (store, p) = NewStore(kind);

        var first = await store.ApplyAsync(p + "user:b", "job-1", [new CounterDelta("usd:m", 250)], CancellationToken.None);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.ApplyAsync(p + "user:b", "job-1", [new CounterDelta("usd:m", 250)], CancellationToken.None)));

        Assert.AreEqual(CounterResult.Applied, first);
        Assert.IsTrue(again.All(r => r == CounterResult.AlreadyApplied));
        Assert.AreEqual(250, (await store.GetAsync(p + "user:b", ["usd:m"], CancellationToken.None))["usd:m"]);
    }

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task Apply_NegativeDelta_ReleasesEvenAtTheLimit(string kind)
    {
        var (store, p) = NewStore(kind);
        await store.ApplyAsync(p + "user:c", "reserve", [new CounterDelta("usd:m", 500, 500)], CancellationToken.None);

        var settle = await store.ApplyAsync(p + "user:c", "settle", [new CounterDelta("usd:m", -380, 500)], CancellationToken.None);

        Assert.AreEqual(CounterResult.Applied, settle);
        Assert.AreEqual(120, (await store.GetAsync(p + "user:c", ["usd:m"], CancellationToken.None))["usd:m"]);
    }

    [TestMethod]
    [DataRow("2026-12-31T23:59:59Z", "d:2026-12-31", "w:2026-W53", "m:2026-12")]
    [DataRow("2027-01-01T00:00:00Z", "d:2027-01-01", "w:2026-W53", "m:2027-01")]
    [DataRow("2027-01-04T08:00:00Z", "d:2027-01-04", "w:2027-W01", "m:2027-01")]
    public void Windows_UseUtcCalendarAndIsoWeeks(string at, string day, string week, string month)
    {
        var time = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);

        Assert.AreEqual(day, UsageWindows.Day(time));
        Assert.AreEqual(week, UsageWindows.Week(time));
        Assert.AreEqual(month, UsageWindows.Month(time));
    }

    [TestMethod]
    public void Resets_AreTheNextBoundary()
    {
        var wednesday = new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);

        Assert.AreEqual(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), UsageWindows.DayResets(wednesday));
        Assert.AreEqual(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), UsageWindows.WeekResets(wednesday));
        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), UsageWindows.MonthResets(wednesday));
    }
}
