using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Tests.Support;
using Vigor.Tests.Usage;

namespace Vigor.Tests.Reports;

/// <summary>
/// A weekly report over fixture ledger rows: every figure against the rows themselves and against SQL sums; the CSV and
/// HTML forms of the same report in CostReportContentTests.Forms.cs.
/// </summary>
[TestClass]
public sealed partial class CostReportContentTests
{
    private static readonly DateTime March1 = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Monday = new(2025, 3, 3, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime NextMonday = Monday.AddDays(7);

    private static TestHost host = null!;
    private static Session admin = null!;
    private static List<LedgerFixtureRow> rows = null!;
    private static List<(Guid Id, string Email)> users = null!;
    private static JsonElement report;

    private static Guid ReportId => Guid.Parse(report.GetProperty("id").GetString()!);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await ReportTestHost.StartAsync();
        admin = await host.LoginAdminAsync();
        await ReportFixture.InsertProvidersAsync(host.ConnectionString);
        users = await ReportFixture.InsertUsersAsync(host.ConnectionString, seed: 7);
        rows = ReportFixture.Random(7, users.Select(u => u.Id).ToList(), March1, days: 12, count: 900);
        // The week's edges, to the microsecond PostgreSQL keeps: the first two count, the last two do not.
        foreach (var at in new[] { Monday, NextMonday.AddTicks(-10), NextMonday, Monday.AddTicks(-10) })
            rows.Add(new(users[5].Id, "premium", "coach_chat", ReportFixture.OpenAi, "openai", 1, 10, 10, 0.000777m, false, at));
        await ReportFixture.InsertAsync(host.ConnectionString, rows);
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("UPDATE budget_settings SET global_monthly_usd = 20");

        var created = await ReportTestHost.CreateAsync(host, admin.AccessToken, "weekly", "2025-03-03");
        Assert.AreEqual(HttpStatusCode.Created, created.Status, created.Text);
        var (response, text) = await ReportTestHost.GetAsync(host, admin.AccessToken, Guid.Parse(created.Body.GetProperty("id").GetString()!));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        report = JsonDocument.Parse(text).RootElement.Clone();
    }

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    private static IEnumerable<LedgerFixtureRow> Between(DateTime from, DateTime to) => rows.Where(r => r.CreatedAt >= from && r.CreatedAt < to);

    private static JsonElement Body => report.GetProperty("report");

    [TestMethod]
    public async Task Weekly_Totals_EqualTheSqlSumsOfTheWeek()
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var sql = await conn.QuerySingleAsync<(decimal Cost, long Requests, long Calls, long Input, long Output, long Users)>("""
            SELECT sum(cost_usd), count(*) FILTER (WHERE attempt = 1 OR cache_hit), count(*) FILTER (WHERE NOT cache_hit),
                   sum(input_tokens), sum(output_tokens), count(DISTINCT user_id) FILTER (WHERE attempt = 1 OR cache_hit)
            FROM llm_calls WHERE created_at >= '2025-03-03T00:00:00Z' AND created_at < '2025-03-10T00:00:00Z'
            """);

        var total = Body.GetProperty("total");

        Assert.AreEqual("weekly", report.GetProperty("kind").GetString());
        Assert.AreEqual(Monday, report.GetProperty("periodStart").GetDateTime().ToUniversalTime());
        Assert.AreEqual(NextMonday, report.GetProperty("periodEnd").GetDateTime().ToUniversalTime());
        Assert.AreEqual(sql.Cost, total.GetProperty("costUsd").GetDecimal());
        Assert.AreEqual(Between(Monday, NextMonday).Sum(r => r.CostUsd), total.GetProperty("costUsd").GetDecimal());
        Assert.AreEqual((sql.Requests, sql.Calls, sql.Input, sql.Output, sql.Users),
            (total.GetProperty("requests").GetInt64(), total.GetProperty("calls").GetInt64(), total.GetProperty("inputTokens").GetInt64(),
             total.GetProperty("outputTokens").GetInt64(), (long)total.GetProperty("activeUsers").GetInt32()));
        Assert.AreEqual(Math.Round(sql.Cost / sql.Users, 6), Body.GetProperty("costPerActiveUserUsd").GetDecimal());
    }

    [TestMethod]
    public void Weekly_Breakdowns_MatchTheLedgerRowsGroupedEachWay()
    {
        var week = Between(Monday, NextMonday).ToList();
        var providerNames = new Dictionary<Guid, string>
        {
            [ReportFixture.OpenAi] = "openai main", [ReportFixture.Anthropic] = "anthropic, backup", [ReportFixture.Offline] = "offline-coach",
        };

        AssertLines(Group(week, r => r.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "days");
        AssertLines(Group(week, r => r.ProviderId is { } id ? providerNames[id] : r.ProviderKind), "providers");
        AssertLines(Group(week, ReportFixture.ModelOf), "models");
        AssertLines(Group(week, r => r.Tier), "tiers");
        AssertLines(Group(week, r => r.Feature), "features");
        CollectionAssert.AreEqual(Enumerable.Range(0, 7).Select(i => Monday.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            Body.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("key").GetString()).ToList(), "Monday to Sunday, in order");
        var costs = Body.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("costUsd").GetDecimal()).ToList();
        CollectionAssert.AreEqual(costs.OrderDescending().ToList(), costs, "breakdowns list the biggest cost first");
    }

    [TestMethod]
    public void Weekly_TopUsers_AreTheTenBiggestSpendersWithTheirEmails()
    {
        var expected = Between(Monday, NextMonday).Where(r => r.UserId is not null).GroupBy(r => r.UserId!.Value)
            .Select(g => (Id: g.Key, Cost: g.Sum(r => r.CostUsd), Requests: (long)g.Count(ReportFixture.IsRequest)))
            .OrderByDescending(u => u.Cost).ThenBy(u => u.Id.ToString()).Take(10).ToList();

        var top = Body.GetProperty("topUsers").EnumerateArray().ToList();

        Assert.HasCount(10, top);
        CollectionAssert.AreEqual(expected.Select(u => (u.Id, u.Cost, u.Requests)).ToList(),
            top.Select(u => (Guid.Parse(u.GetProperty("userId").GetString()!), u.GetProperty("costUsd").GetDecimal(), u.GetProperty("requests").GetInt64())).ToList());
        foreach (var user in top)
            Assert.AreEqual(users.Single(u => u.Id == Guid.Parse(user.GetProperty("userId").GetString()!)).Email, user.GetProperty("email").GetString());
    }

    [TestMethod]
    public void Weekly_MonthToDate_ForecastGoalAndBudget_FromTheLedgerUpToSunday()
    {
        var month = Between(March1, NextMonday).ToList();
        var spent = month.Sum(r => r.CostUsd);
        var active = month.Where(ReportFixture.IsRequest).Select(r => r.UserId).OfType<Guid>().Distinct().Count();
        var weekSpent = Between(Monday, NextMonday).Sum(r => r.CostUsd);
        var openAi = Between(Monday, NextMonday).Where(r => r.ProviderId == ReportFixture.OpenAi).GroupBy(r => r.CreatedAt.Date).Max(g => g.Sum(r => r.CostUsd));

        var json = Body.GetProperty("month");
        var budget = Body.GetProperty("budget");
        var capped = budget.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);

        Assert.AreEqual("2025-03", json.GetProperty("month").GetString());
        Assert.AreEqual(spent, json.GetProperty("spentUsd").GetDecimal());
        Assert.AreEqual(active, json.GetProperty("activeUsers").GetInt32());
        Assert.AreEqual(Math.Round(spent / active, 6), json.GetProperty("costPerActiveUserUsd").GetDecimal());
        // 9 of March's 31 days have passed on Monday 10 March, 22 are left; the last 7 full days are the week itself.
        Assert.AreEqual(Math.Round(spent / active * 31 / 9, 6), json.GetProperty("projectedCostPerActiveUserUsd").GetDecimal());
        Assert.AreEqual(2.50m, json.GetProperty("goalUsd").GetDecimal());
        Assert.AreEqual(json.GetProperty("projectedCostPerActiveUserUsd").GetDecimal() < 2.50m, json.GetProperty("withinGoal").GetBoolean());
        Assert.AreEqual(22m, json.GetProperty("remainingDays").GetDecimal());
        Assert.AreEqual(Math.Round(weekSpent / 7, 6), json.GetProperty("dailyAverageUsd").GetDecimal());
        Assert.AreEqual(Math.Round(spent + (weekSpent / 7 * 22), 6), json.GetProperty("forecastUsd").GetDecimal());
        Assert.AreEqual(20m, budget.GetProperty("globalMonthlyUsd").GetDecimal());
        Assert.AreEqual(Math.Round(spent * 100 / 20, 2), budget.GetProperty("percentUsed").GetDecimal());
        Assert.AreEqual(Math.Round(json.GetProperty("forecastUsd").GetDecimal() * 100 / 20, 2), budget.GetProperty("forecastPercent").GetDecimal());
        Assert.AreEqual(openAi, capped["openai main"].GetProperty("peakDaySpentUsd").GetDecimal());
        Assert.AreEqual(1.00m, capped["openai main"].GetProperty("dailyCapUsd").GetDecimal());
        Assert.AreEqual(month.Where(r => r.ProviderId == ReportFixture.OpenAi).Sum(r => r.CostUsd), capped["openai main"].GetProperty("monthSpentUsd").GetDecimal());
        Assert.AreEqual(month.Where(r => r.ProviderId == ReportFixture.Anthropic).Sum(r => r.CostUsd), capped["anthropic, backup"].GetProperty("monthSpentUsd").GetDecimal());
        Assert.IsFalse(capped["anthropic, backup"].TryGetProperty("dailyCapUsd", out _), "no daily cap: null, left out");
        Assert.HasCount(2, capped, "the offline coach has no cap");
    }

    private static Dictionary<string, (long, long, long, long, decimal, int)> Group(IEnumerable<LedgerFixtureRow> week, Func<LedgerFixtureRow, string> key)
        => week.GroupBy(key).ToDictionary(g => g.Key, g => (
            (long)g.Count(ReportFixture.IsRequest), (long)g.Count(r => !r.CacheHit), g.Sum(r => (long)r.InputTokens), g.Sum(r => (long)r.OutputTokens),
            g.Sum(r => r.CostUsd), g.Where(ReportFixture.IsRequest).Select(r => r.UserId).OfType<Guid>().Distinct().Count()));

    private static void AssertLines(Dictionary<string, (long, long, long, long, decimal, int)> expected, string property)
    {
        var actual = Body.GetProperty(property).EnumerateArray().ToDictionary(l => l.GetProperty("key").GetString()!, l => (
            l.GetProperty("requests").GetInt64(), l.GetProperty("calls").GetInt64(), l.GetProperty("inputTokens").GetInt64(),
            l.GetProperty("outputTokens").GetInt64(), l.GetProperty("costUsd").GetDecimal(), l.GetProperty("activeUsers").GetInt32()));
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), actual.Keys.ToList(), property);
        foreach (var (key, value) in expected)
            Assert.AreEqual(value, actual[key], $"{property}: {key}");
    }
}
