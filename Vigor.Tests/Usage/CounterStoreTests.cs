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
    public async Task Get_AnyNumberOfRows_ReturnsExactlyThoseThatExist(string kind)
    {
        // PostgreSQL lists up to 8 rows as scalar parameters padded to 1, 2, 4 or 8, and takes an array beyond that.
        var (store, p) = NewStore(kind);
        var stored = Enumerable.Range(1, 12).Select(i => new CounterDelta($"r{i:00}", i * 10)).ToList();
        await store.ApplyAsync(p + "user:g", "fill", stored, CancellationToken.None);

        foreach (var count in new[] { 1, 2, 3, 5, 8, 9, 12 })
        {
            // Every other asked row exists; one is asked twice.
            var asked = Enumerable.Range(1, count).Select(i => i % 2 == 1 ? $"r{i:00}" : $"missing{i}").Append("r01").ToList();
            var counts = await store.GetAsync(p + "user:g", asked, CancellationToken.None);

            var expected = asked.Where(r => r.StartsWith('r')).Distinct().ToDictionary(r => r, r => int.Parse(r[1..]) * 10L);
            CollectionAssert.AreEquivalent(expected.ToList(), counts.ToList(), $"{count} rows asked");
        }
        Assert.AreEqual(0, (await store.GetAsync(p + "user:g", [], CancellationToken.None)).Count);
        Assert.AreEqual(0, (await store.GetAsync(p + "user:other", ["r01"], CancellationToken.None)).Count, "another partition's rows are not read");
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
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task ApplyMany_StopUnlessApplied_StopsAtTheRefusedOperation_AndLeavesItsPartitionUntouched(string kind)
    {
        var (store, p) = NewStore(kind);
        await store.ApplyAsync(p + "global", "earlier", [new CounterDelta("usd:m", 90)], CancellationToken.None);

        var results = await store.ApplyManyAsync(
        [
            new(p + "user:m", "reserve:1", [new CounterDelta("req:d", 1, 5), new CounterDelta("usd:m", 20, 1000)]),
            new(p + "global", "reserve:1", [new CounterDelta("usd:m", 20, 100)]),
            new(p + "provider:x", "hold:1", [new CounterDelta("usd:d", 20)]),
        ], stopUnlessApplied: true, CancellationToken.None);

        CollectionAssert.AreEqual(new (CounterResult, string?)[] { (CounterResult.Applied, null), (CounterResult.LimitReached, "usd:m") }, results.ToArray(),
            "the operation after the refused one is not tried");
        Assert.AreEqual(1, (await store.GetAsync(p + "user:m", ["req:d"], CancellationToken.None))["req:d"], "an operation before the refused one stands");
        Assert.AreEqual(90, (await store.GetAsync(p + "global", ["usd:m"], CancellationToken.None))["usd:m"]);
        Assert.AreEqual(0, (await store.GetAsync(p + "provider:x", ["usd:d"], CancellationToken.None)).Count);
        var retried = await store.ApplyManyAsync([new(p + "user:m", "reserve:1", [new CounterDelta("req:d", 1, 5)])], stopUnlessApplied: true, CancellationToken.None);
        Assert.AreEqual(CounterResult.AlreadyApplied, retried.Single().Result, "the applied operation's key is taken");
    }

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task ApplyMany_Independent_AppliesEveryOperation_AndARepeatChangesNothing(string kind)
    {
        var (store, p) = NewStore(kind);
        await store.ApplyAsync(p + "user:n", "settle:1", [new CounterDelta("usd:m", -5)], CancellationToken.None);
        IReadOnlyList<CounterOperation> settle =
        [
            new(p + "user:n", "settle:1", [new CounterDelta("usd:m", -5)]),
            new(p + "global", "settle:1", [new CounterDelta("usd:m", 7), new CounterDelta("usd:d", 7)]),
            new(p + "provider:y", "settle:1:1", [new CounterDelta("usd:m", 3)]),
        ];

        var first = await store.ApplyManyAsync(settle, stopUnlessApplied: false, CancellationToken.None);
        var again = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.ApplyManyAsync(settle, stopUnlessApplied: false, CancellationToken.None)));

        CollectionAssert.AreEqual(new[] { CounterResult.AlreadyApplied, CounterResult.Applied, CounterResult.Applied }, first.Select(r => r.Result).ToArray(),
            "an operation applied before does not stop the ones after it");
        Assert.IsTrue(again.All(r => r.All(x => x.Result == CounterResult.AlreadyApplied)));
        var global = await store.GetAsync(p + "global", ["usd:m", "usd:d"], CancellationToken.None);
        Assert.AreEqual((7L, 7L), (global["usd:m"], global["usd:d"]));
        Assert.AreEqual(3, (await store.GetAsync(p + "provider:y", ["usd:m"], CancellationToken.None))["usd:m"]);
    }

    [TestMethod]
    [DataRow(CounterStoreOptions.TableStorage)]
    [DataRow(CounterStoreOptions.PostgreSql)]
    public async Task ApplyTogether_AppliesEveryPartition_InOrder_AndConcurrentRepeatsChangeNothing(string kind)
    {
        var (store, p) = NewStore(kind);
        await store.ApplyAsync(p + "global", "reserve:2", [new CounterDelta("usd:m", 50)], CancellationToken.None);
        IReadOnlyList<CounterOperation> settle =
        [
            new(p + "user:t", "settle:2", [new CounterDelta("usd:m", -5)]),
            new(p + "global", "settle:2", [new CounterDelta("usd:m", -5), new CounterDelta("usd:d", 45)]),
            new(p + "provider:t", "settle:2:1", [new CounterDelta("usd:d", 45), new CounterDelta("usd:m", 45)]),
        ];

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => store.ApplyTogetherAsync(settle, CancellationToken.None)));

        Assert.AreEqual(1, results.Count(r => r == CounterResult.Applied), "one of six concurrent settlements applies");
        Assert.AreEqual(5, results.Count(r => r == CounterResult.AlreadyApplied));
        Assert.AreEqual(0, (await store.GetAsync(p + "user:t", ["usd:m"], CancellationToken.None))["usd:m"], "a negative change stops at zero");
        var global = await store.GetAsync(p + "global", ["usd:m", "usd:d"], CancellationToken.None);
        Assert.AreEqual((45L, 45L), (global["usd:m"], global["usd:d"]));
        var provider = await store.GetAsync(p + "provider:t", ["usd:d", "usd:m"], CancellationToken.None);
        Assert.AreEqual((45L, 45L), (provider["usd:d"], provider["usd:m"]));
    }

    [TestMethod]
    public async Task ApplyTogether_PostgreSql_KeepsOneMarkerForTheCall_AndRefusesLimits()
    {
        var (store, p) = NewStore(CounterStoreOptions.PostgreSql);

        await store.ApplyTogetherAsync(
            [new(p + "user:u", "settle:3", [new CounterDelta("usd:m", 4)]), new(p + "global", "settle:3", [new CounterDelta("usd:m", 4)])], CancellationToken.None);

        await using var conn = await SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM llm_counters WHERE partition IN ($1, $2) AND row_key LIKE 'op:%'", conn) { Parameters = { new() { Value = p + "user:u" }, new() { Value = p + "global" } } };
        Assert.AreEqual(1L, await count.ExecuteScalarAsync(), "the first operation's marker stands for the call");
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => store.ApplyTogetherAsync(
            [new(p + "user:u", "settle:4", [new CounterDelta("usd:m", 4, 10)])], CancellationToken.None));
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
