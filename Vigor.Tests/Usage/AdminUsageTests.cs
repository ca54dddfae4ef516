using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Tests.Support;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Usage;

/// <summary>
/// <c>GET admin/usage</c> against fixture ledger rows on the shared host. Each test writes its rows into a year of its own,
/// far from the rows other tests write today, so ranges see only their fixture.
/// </summary>
[TestClass]
public sealed class AdminUsageTests
{
    private static TestHost Host => SharedHost.Host;

    private sealed record Expected(long Requests, long InputTokens, long OutputTokens, decimal CostUsd);

    private static Expected Sum(IEnumerable<LedgerFixtureRow> rows)
    {
        var list = rows.ToList();
        return new(list.Count(r => r.Attempt == 1 || r.CacheHit), list.Sum(r => (long)r.InputTokens), list.Sum(r => (long)r.OutputTokens), list.Sum(r => r.CostUsd));
    }

    private static Expected Actual(JsonElement row)
        => new(row.GetProperty("requests").GetInt64(), row.GetProperty("inputTokens").GetInt64(), row.GetProperty("outputTokens").GetInt64(), row.GetProperty("costUsd").GetDecimal());

    private static string ProviderKey(LedgerFixtureRow r) => r.ProviderId?.ToString() ?? r.ProviderKind;

    private static async Task<decimal> SqlCostAsync(DateTime from, DateTime to)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        return await conn.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(cost_usd), 0) FROM llm_calls WHERE created_at >= @from AND created_at <= @to", new { from, to });
    }

    [TestMethod]
    [DataRow("day")]
    [DataRow("tier")]
    [DataRow("provider")]
    [DataRow("feature")]
    [DataRow("user")]
    public async Task Usage_GroupedOverAMonthEnd_EqualsTheFixtureAndTheSqlSum(string groupBy)
    {
        var year = 2001 + Array.IndexOf(["day", "tier", "provider", "feature", "user"], groupBy);
        var first = new DateTime(year, 3, 28, 0, 0, 0, DateTimeKind.Utc);
        var rows = LedgerFixture.Random(year, 600, 30, first, 6);
        await LedgerFixture.InsertAsync(Host.ConnectionString, rows);
        Func<LedgerFixtureRow, string> keyOf = groupBy switch
        {
            "day" => r => r.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "tier" => r => r.Tier,
            "provider" => ProviderKey,
            "feature" => r => r.Feature,
            _ => r => r.UserId?.ToString() ?? "none",
        };
        var expected = rows.GroupBy(keyOf).ToDictionary(g => g.Key, Sum);

        var (status, body, text) = await SendAsync(Host, HttpMethod.Get,
            $"/api/admin/usage?groupBy={groupBy}&from={year}-03-27&to={year}-04-03&limit=100", (await Host.LoginAdminAsync()).AccessToken);

        Assert.AreEqual(HttpStatusCode.OK, status, text);
        var actual = body.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("requests").GetInt64() + r.GetProperty("inputTokens").GetInt64() > 0)
            .ToDictionary(r => r.GetProperty("key").GetString()!, Actual);
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), actual.Keys.ToList());
        foreach (var (key, sum) in expected)
            Assert.AreEqual(sum, actual[key], key);
        Assert.AreEqual(Sum(rows), Actual(body.GetProperty("totals")));
        Assert.AreEqual(await SqlCostAsync(first.AddDays(-1), first.AddDays(7)), body.GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.AreEqual(expected.Count, body.GetProperty("groups").GetInt32());
        if (groupBy == "day")
            Assert.HasCount(8, body.GetProperty("rows").EnumerateArray().ToList(), "every day of the range, the empty ones too");
        else
            CollectionAssert.AreEqual(actual.Values.Select(v => v.CostUsd).OrderDescending().ToList(), body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("costUsd").GetDecimal()).ToList());
    }

    [TestMethod]
    public async Task Usage_PartDaysAndTopUsers_CountOnlyTheRangeAndTheLimit()
    {
        var first = new DateTime(2007, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = LedgerFixture.Random(2007, 500, 25, first, 3);
        await LedgerFixture.InsertAsync(Host.ConnectionString, rows);
        var from = first.AddHours(12);
        var to = first.AddDays(1).AddHours(6);
        var inRange = rows.Where(r => r.CreatedAt >= from && r.CreatedAt <= to).ToList();
        var topUsers = rows.GroupBy(r => r.UserId?.ToString() ?? "none").Select(g => (g.Key, Sum(g).CostUsd)).OrderByDescending(u => u.CostUsd).Take(5).ToList();
        var token = (await Host.LoginAdminAsync()).AccessToken;

        var days = await SendAsync(Host, HttpMethod.Get, "/api/admin/usage?groupBy=day&from=2007-06-01T12:00:00Z&to=2007-06-02T06:00:00Z", token);
        var users = await SendAsync(Host, HttpMethod.Get, "/api/admin/usage?groupBy=user&from=2007-06-01&to=2007-06-03&limit=5", token);

        Assert.AreEqual(HttpStatusCode.OK, days.Status, days.Text);
        CollectionAssert.AreEqual(new[] { "2007-06-01", "2007-06-02" }, days.Body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToArray());
        Assert.AreEqual(Sum(inRange.Where(r => r.CreatedAt.Day == 1)), Actual(days.Body.GetProperty("rows")[0]));
        Assert.AreEqual(Sum(inRange), Actual(days.Body.GetProperty("totals")));
        Assert.AreEqual(HttpStatusCode.OK, users.Status, users.Text);
        CollectionAssert.AreEqual(topUsers, users.Body.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("costUsd").GetDecimal())).ToList());
        Assert.AreEqual(rows.Select(r => r.UserId).Distinct().Count(), users.Body.GetProperty("groups").GetInt32());
        Assert.AreEqual(Sum(rows), Actual(users.Body.GetProperty("totals")));
    }

    [TestMethod]
    [DataRow("from=2008-01-01&to=2008-01-31", "groupBy")]
    [DataRow("groupBy=model", "groupBy")]
    [DataRow("groupBy=day&from=2008-01-01&to=2009-01-31", "from")]
    [DataRow("groupBy=day&from=2008-02-01&to=2008-01-01", "from")]
    [DataRow("groupBy=day&from=yesterday", "from")]
    [DataRow("groupBy=tier&to=2008-13-01", "to")]
    [DataRow("groupBy=user&limit=0", "limit")]
    [DataRow("groupBy=user&limit=101", "limit")]
    public async Task Usage_Invalid_BadRequestNamingTheField(string query, string field)
    {
        var response = await SendAsync(Host, HttpMethod.Get, "/api/admin/usage?" + query, (await Host.LoginAdminAsync()).AccessToken);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.Status, response.Text);
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {response.Text}");
    }
}
