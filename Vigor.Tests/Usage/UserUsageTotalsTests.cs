using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>
/// <c>user_usage_totals</c> (what <c>GET me/usage</c> reads) is kept by triggers on the ledger: whatever writes the
/// ledger, and however, the totals equal a GROUP BY over it.
/// </summary>
[TestClass]
public sealed class UserUsageTotalsTests
{
    private const string LedgerTotals = """
        SELECT r.user_id, p.period, p.period_start,
               count(*) FILTER (WHERE r.attempt = 1 OR r.cache_hit) AS requests, sum(r.input_tokens) AS input_tokens,
               sum(r.output_tokens) AS output_tokens, sum(r.cost_usd) AS cost_usd
        FROM llm_calls r
        CROSS JOIN LATERAL (VALUES
            ('day', (r.created_at AT TIME ZONE 'UTC')::date),
            ('week', date_trunc('week', r.created_at AT TIME ZONE 'UTC')::date),
            ('month', date_trunc('month', r.created_at AT TIME ZONE 'UTC')::date)) AS p (period, period_start)
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
