using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Vigor.Tests.Support;
using Vigor.Tests.Usage;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Reports;

/// <summary>The report routes' contract: building on demand, replacing, auditing, listing, and the answers to bad input.</summary>
[TestClass]
public sealed class CostReportApiTests
{
    private static TestHost host = null!;
    private static Session admin = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await ReportTestHost.StartAsync();
        admin = await host.LoginAdminAsync();
        await ReportFixture.InsertProvidersAsync(host.ConnectionString);
    }

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    [TestMethod]
    public async Task CreateCostReport_SamePeriodTwice_OneReportReplacedAndAudited()
    {
        await ReportFixture.InsertAsync(host.ConnectionString, [Row(new DateTime(2025, 6, 11, 9, 0, 0, DateTimeKind.Utc), 0.25m)]);
        var first = await ReportTestHost.CreateAsync(host, admin.AccessToken, "daily", "2025-06-11");
        await ReportFixture.InsertAsync(host.ConnectionString, [Row(new DateTime(2025, 6, 11, 23, 0, 0, DateTimeKind.Utc), 0.5m)]);

        var second = await ReportTestHost.CreateAsync(host, admin.AccessToken, "daily", "2025-06-11");

        Assert.AreEqual(HttpStatusCode.Created, first.Status, first.Text);
        Assert.AreEqual(HttpStatusCode.OK, second.Status, second.Text);
        Assert.AreEqual(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString(), "rebuilt in place");
        Assert.AreEqual(0.25m, first.Body.GetProperty("totalCostUsd").GetDecimal());
        Assert.AreEqual(0.75m, second.Body.GetProperty("totalCostUsd").GetDecimal());
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        Assert.AreEqual(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM cost_reports WHERE kind = 'daily' AND period_start = '2025-06-11T00:00:00Z'"));
        var audit = await AuditAsync(host, admin.AccessToken, "report:" + first.Body.GetProperty("id").GetString());
        Assert.HasCount(2, audit);
        Assert.IsTrue(audit.All(e => e.GetProperty("action").GetString() == "report.create" && e.GetProperty("actorId").GetString() == admin.UserId.ToString()));
        Assert.AreEqual(0.25m, audit[0].GetProperty("before").GetProperty("totalCostUsd").GetDecimal(), "newest first: the rebuild records what it replaced");
        Assert.AreEqual(0.75m, audit[0].GetProperty("after").GetProperty("totalCostUsd").GetDecimal());
        Assert.IsFalse(audit[1].TryGetProperty("before", out var none) && none.ValueKind != JsonValueKind.Null);
    }

    [TestMethod]
    public async Task ListCostReports_NewestPeriodFirst_PagedAndFilteredByKind()
    {
        foreach (var day in new[] { "2025-07-01", "2025-07-03", "2025-07-02" })
            Assert.AreEqual(HttpStatusCode.Created, (await ReportTestHost.CreateAsync(host, admin.AccessToken, "daily", day)).Status);
        Assert.AreEqual(HttpStatusCode.Created, (await ReportTestHost.CreateAsync(host, admin.AccessToken, "weekly", "2025-06-30")).Status);

        var daily = await PagesAsync("kind=daily&limit=2");
        var weekly = await PagesAsync("kind=weekly");
        var badKind = await SendAsync(host, HttpMethod.Get, "/api/admin/reports?kind=monthly", admin.AccessToken);

        var dailyStarts = daily.Select(r => r.GetProperty("periodStart").GetDateTime()).ToList();
        CollectionAssert.AreEqual(dailyStarts.OrderDescending().ToList(), dailyStarts);
        Assert.AreEqual(dailyStarts.Count, dailyStarts.Distinct().Count(), "pages neither repeat nor skip");
        CollectionAssert.IsSubsetOf(new[] { "2025-07-03", "2025-07-02", "2025-07-01" }, dailyStarts.Select(d => d.ToString("yyyy-MM-dd")).ToList());
        Assert.IsTrue(daily.All(r => r.GetProperty("kind").GetString() == "daily"));
        var week = weekly.Single(r => r.GetProperty("periodStart").GetDateTime().ToUniversalTime() == new DateTime(2025, 6, 30, 0, 0, 0, DateTimeKind.Utc));
        Assert.AreEqual(new DateTime(2025, 7, 7, 0, 0, 0, DateTimeKind.Utc), week.GetProperty("periodEnd").GetDateTime().ToUniversalTime());
        Assert.IsTrue(week.TryGetProperty("totalCostUsd", out _) && week.TryGetProperty("createdAt", out _));
        Assert.AreEqual(HttpStatusCode.BadRequest, badKind.Status);
        Assert.IsTrue(badKind.Body.GetProperty("errors").TryGetProperty("kind", out _));
    }

    [TestMethod]
    [DataRow("{}", "kind")]
    [DataRow("{\"kind\":\"monthly\"}", "kind")]
    [DataRow("{\"kind\":\"weekly\",\"periodStart\":\"2025-03-04\"}", "periodStart")]
    [DataRow("{\"kind\":\"daily\",\"periodStart\":\"2999-01-01\"}", "periodStart")]
    [DataRow("{\"kind\":\"daily\",\"periodStart\":\"1999-12-31\"}", "periodStart")]
    [DataRow("{\"kind\":\"daily\",\"periodStart\":\"yesterday\"}", "periodStart")]
    public async Task CreateCostReport_Invalid_BadRequestNamingTheField_NothingStored(string json, string field)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var before = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM cost_reports");

        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/reports", admin.AccessToken, JsonNode.Parse(json));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.Status, response.Text);
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {response.Text}");
        Assert.AreEqual(before, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM cost_reports"));
    }

    [TestMethod]
    [DataRow("00000000-0000-0000-0000-000000000001")]
    [DataRow("not-a-report")]
    public async Task GetCostReport_UnknownId_NotFound(string id)
    {
        var response = await SendAsync(host, HttpMethod.Get, $"/api/admin/reports/{id}?format=html", admin.AccessToken);

        Assert.AreEqual(HttpStatusCode.NotFound, response.Status, response.Text);
        Assert.AreEqual("not_found", response.Body.GetProperty("code").GetString());
    }

    [TestMethod]
    [DataRow("pdf")]
    [DataRow("HTML")]
    [DataRow("csv%00")]
    public async Task GetCostReport_UnknownFormat_BadRequestNamingFormat(string format)
    {
        var created = await ReportTestHost.CreateAsync(host, admin.AccessToken, "daily", "2025-05-05");

        var response = await SendAsync(host, HttpMethod.Get, $"/api/admin/reports/{created.Body.GetProperty("id").GetString()}?format={format}", admin.AccessToken);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.Status, response.Text);
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty("format", out _));
    }

    private static LedgerFixtureRow Row(DateTime at, decimal cost)
        => new(Guid.NewGuid(), "free", "coach_chat", ReportFixture.OpenAi, "openai", 1, 100, 50, cost, false, at);

    private static async Task<List<JsonElement>> PagesAsync(string query)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await SendAsync(host, HttpMethod.Get, $"/api/admin/reports?{query}" + (cursor is null ? "" : "&cursor=" + cursor), admin.AccessToken);
            Assert.AreEqual(HttpStatusCode.OK, page.Status, page.Text);
            items.AddRange(page.Body.GetProperty("items").EnumerateArray());
            cursor = page.Body.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        return items;
    }
}
