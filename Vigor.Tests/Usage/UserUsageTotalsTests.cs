using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>
/// <c>user_usage_totals</c> (what <c>GET me/usage</c> reads) is kept by triggers on the ledger: whatever writes the
/// ledger, and however, the totals per user and UTC day equal a GROUP BY over it, and the week's and the month's
/// windows read from them equal the ledger's rows in those windows.
/// </summary>
[TestClass]
public sealed class UserUsageTotalsTests
{
    private const string LedgerTotals = """
        SELECT r.user_id, 'day', (r.created_at AT TIME ZONE 'UTC')::date,
               count(*) FILTER (WHERE r.attempt = 1 OR r.cache_hit) AS requests, sum(r.input_tokens) AS input_tokens,
               sum(r.output_tokens) AS output_tokens, sum(r.cost_usd) AS cost_usd
        FROM llm_calls r
        WHERE r.user_id IS NOT NULL
        GROUP BY 1, 2, 3
        """;

    [TestMethod]
    public async Task Totals_AfterConcurrentInserts_UpdatesAndDeletes_EqualTheLedger()
    {
        var cs = await TestEnvironment.CreateDatabaseAsync("totals");
        try
        {
            await using (var dataSource = NpgsqlDataSource.Create(cs))
                await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
            // Four writers at once over the same users, across a month and a year boundary.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                LedgerFixture.InsertAsync(cs, LedgerFixture.Random(seed: 7, count: 600, users: 6, new DateTime(2026, 12, 20, 0, 0, 0, DateTimeKind.Utc), days: 20))));
            await using var conn = new NpgsqlConnection(cs);
            Assert.IsGreaterThan(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_usage_totals"));
            await AssertEqualAsync(conn);

            await conn.ExecuteAsync("UPDATE llm_calls SET created_at = created_at - interval '9 days', cost_usd = cost_usd + 0.000001 WHERE id % 7 = 0");
            await conn.ExecuteAsync("DELETE FROM llm_calls WHERE id % 5 = 0");
            await AssertEqualAsync(conn);

            await conn.ExecuteAsync("DELETE FROM llm_calls");
            Assert.AreEqual(0L, await conn.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM user_usage_totals WHERE requests <> 0 OR input_tokens <> 0 OR output_tokens <> 0 OR cost_usd <> 0"));
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(cs);
        }
    }

    [TestMethod]
    [DataRow("2026-12-02T10:00:00Z")] // a week that began in the month before
    [DataRow("2026-11-29T23:59:59Z")] // the last second of a week and the month's last Sunday
    [DataRow("2027-01-01T00:00:00Z")] // the first second of a year, in an ISO week of the year before
    public async Task Windows_SumTheirDays_AsTheLedgerHasThem(string at)
    {
        // A database of its own: the fixture's 50 days of ledger rows stay out of the shared one.
        var cs = await TestEnvironment.CreateDatabaseAsync("windows");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(cs);
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
            var userId = Guid.NewGuid();
            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.ExecuteAsync("""
                    INSERT INTO users (id, email, email_normalized, password_hash, birth_year)
                    VALUES (@userId, 'windows@example.com', 'windows@example.com', 'unused', 1990)
                    """, new { userId });
            }
            var now = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
            var rows = LedgerFixture.Random(seed: 11, count: 400, users: 1, now.UtcDateTime.Date.AddDays(-40), days: 50)
                .Select(r => r with { UserId = userId }).ToList();
            await LedgerFixture.InsertAsync(cs, rows);
            var starts = UsageWindows.Starts(now);

            var usage = await new TierRepository(dataSource).GetUsageAsync(userId, starts, CancellationToken.None);

            long Requests(DateTime from, DateTime until) =>
                rows.Count(r => r.CreatedAt >= from && r.CreatedAt < until && (r.Attempt == 1 || r.CacheHit));
            var month = rows.Where(r => r.CreatedAt >= starts.Month && r.CreatedAt < starts.Month.AddMonths(1)).ToList();
            Assert.IsNotNull(usage);
            Assert.AreEqual(Requests(starts.Day, starts.Day.AddDays(1)), usage.DayRequests, "day");
            Assert.AreEqual(Requests(starts.Week, starts.Week.AddDays(7)), usage.WeekRequests, "week");
            Assert.AreEqual(Requests(starts.Month, starts.Month.AddMonths(1)), usage.MonthRequests, "month");
            Assert.AreEqual(month.Sum(r => r.CostUsd), usage.MonthCostUsd);
            Assert.AreEqual(month.Sum(r => (long)r.InputTokens), usage.MonthInputTokens);
            Assert.AreEqual(month.Sum(r => (long)r.OutputTokens), usage.MonthOutputTokens);
            Assert.AreNotEqual(usage.WeekRequests, usage.MonthRequests, "the fixture spans both windows' edges");
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(cs);
        }
    }

    private static async Task AssertEqualAsync(NpgsqlConnection conn)
    {
        var expected = (await conn.QueryAsync<(Guid, string, DateTime, long, long, long, decimal)>(LedgerTotals + " ORDER BY 1, 2, 3")).ToList();
        var actual = (await conn.QueryAsync<(Guid, string, DateTime, long, long, long, decimal)>("""
            SELECT user_id, period, period_start, requests, input_tokens, output_tokens, cost_usd FROM user_usage_totals
            WHERE requests <> 0 OR input_tokens <> 0 OR output_tokens <> 0 OR cost_usd <> 0
            ORDER BY 1, 2, 3
            """)).ToList();
        CollectionAssert.AreEqual(expected, actual);
    }
}
