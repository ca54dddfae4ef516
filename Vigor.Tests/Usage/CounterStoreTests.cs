using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Storage;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>Against Azurite: the ETag/transaction design is what makes quotas exact.</summary>
[TestClass]
public sealed class CounterStoreTests
{
    private static CounterStore NewStore()
        => new(new TableServiceClient(TestEnvironment.Storage),
            Options.Create(new StorageOptions { TablePrefix = "c" + Guid.NewGuid().ToString("N")[..10] }), TimeProvider.System);

    [TestMethod]
    public async Task Apply_ParallelBurst_ExactlyLimitSucceed()
    {
        var store = NewStore();
        const int limit = 7;

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            store.ApplyAsync("user:a", $"job-{i}", [new CounterDelta("req:d", 1, limit), new CounterDelta("req:m", 1, 100)], CancellationToken.None)));
        var counts = await store.GetAsync("user:a", ["req:d", "req:m"], CancellationToken.None);

        Assert.AreEqual(limit, results.Count(r => r == CounterStore.Result.Applied));
        Assert.AreEqual(30 - limit, results.Count(r => r == CounterStore.Result.LimitReached));
        Assert.AreEqual(limit, counts["req:d"]);
        Assert.AreEqual(limit, counts["req:m"], "a refused change leaves every row of the partition untouched");
    }

    [TestMethod]
    public async Task Apply_SameOperationTwice_CountsOnce()
    {
        var store = NewStore();

        var first = await store.ApplyAsync("user:b", "job-1", [new CounterDelta("usd:m", 250)], CancellationToken.None);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.ApplyAsync("user:b", "job-1", [new CounterDelta("usd:m", 250)], CancellationToken.None)));

        Assert.AreEqual(CounterStore.Result.Applied, first);
        Assert.IsTrue(again.All(r => r == CounterStore.Result.AlreadyApplied));
        Assert.AreEqual(250, (await store.GetAsync("user:b", ["usd:m"], CancellationToken.None))["usd:m"]);
    }

    [TestMethod]
    public async Task Apply_NegativeDelta_ReleasesEvenAtTheLimit()
    {
        var store = NewStore();
        await store.ApplyAsync("user:c", "reserve", [new CounterDelta("usd:m", 500, 500)], CancellationToken.None);

        var settle = await store.ApplyAsync("user:c", "settle", [new CounterDelta("usd:m", -380, 500)], CancellationToken.None);

        Assert.AreEqual(CounterStore.Result.Applied, settle);
        Assert.AreEqual(120, (await store.GetAsync("user:c", ["usd:m"], CancellationToken.None))["usd:m"]);
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
