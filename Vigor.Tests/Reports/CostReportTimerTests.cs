using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Vigor.Tests.Support;
using Vigor.Tests.Usage;

namespace Vigor.Tests.Reports;

/// <summary>
/// The timers on the local host, for the periods before now: rows on each side of the boundaries carry a feature of their
/// own, so the assertions hold whatever else the ledger holds. The webhook is a loopback listener.
/// </summary>
[TestClass]
public sealed class CostReportTimerTests
{
    private static TestHost host = null!;
    private static Session admin = null!;
    private static WebhookListener webhook = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        webhook = await WebhookListener.StartAsync();
        host = await ReportTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Reports:PostToWebhook"] = "true",
            ["Alerts:WebhookUrl"] = webhook.Url.ToString(),
        });
        admin = await host.LoginAdminAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await host.DisposeAsync();
        await webhook.DisposeAsync();
    }

    [TestMethod]
    public async Task DailyCostReport_RunTwice_OneReportForYesterday_PostedOnce()
    {
        var today = DateTime.UtcNow.Date;
        var yesterday = today.AddDays(-1);
        await InsertAsync("daily_probe", (yesterday, 0.10m), (today.AddTicks(-10), 0.20m), (today, 4m), (yesterday.AddTicks(-10), 8m));

        var first = await host.Client.PostAsync("/admin/functions/DailyCostReport", null);
        var second = await host.Client.PostAsync("/admin/functions/DailyCostReport", null);

        Assert.AreEqual(HttpStatusCode.Accepted, first.StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, second.StatusCode);
        var report = await StoredAsync("daily", yesterday);
        Assert.AreEqual(yesterday.AddDays(1), report.GetProperty("periodEnd").GetDateTime().ToUniversalTime());
        Assert.AreEqual(0.30m, Feature(report, "daily_probe"));
        var posts = webhook.Received.Select(r => (string)JsonNode.Parse(r.Body)!["text"]!).Where(t => t.Contains("daily cost report", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, posts, "a rebuilt report is not posted again");
        Assert.Contains($"from {yesterday:yyyy-MM-dd}: ${report.GetProperty("report").GetProperty("total").GetProperty("costUsd").GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)}", posts[0]);
    }

    [TestMethod]
    public async Task WeeklyCostReport_CoversTheLastIsoWeek_MondayToSunday()
    {
        var today = DateTime.UtcNow.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 7);
        var nextMonday = monday.AddDays(7);
        await InsertAsync("weekly_probe", (monday, 0.01m), (nextMonday.AddTicks(-10), 0.02m), (nextMonday, 1m), (monday.AddTicks(-10), 2m));

        var first = await host.Client.PostAsync("/admin/functions/WeeklyCostReport", null);
        var second = await host.Client.PostAsync("/admin/functions/WeeklyCostReport", null);

        Assert.AreEqual(HttpStatusCode.Accepted, first.StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, second.StatusCode);
        var report = await StoredAsync("weekly", monday);
        Assert.AreEqual(nextMonday, report.GetProperty("periodEnd").GetDateTime().ToUniversalTime());
        var days = report.GetProperty("report").GetProperty("days").EnumerateArray().Select(d => DateTime.Parse(d.GetProperty("key").GetString()!, CultureInfo.InvariantCulture)).ToList();
        CollectionAssert.AreEqual(new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday },
            days.Select(d => d.DayOfWeek).ToArray());
        Assert.AreEqual(monday, days[0]);
        Assert.AreEqual(0.03m, Feature(report, "weekly_probe"), "Monday 00:00 and Sunday 23:59:59.999999 count; the Mondays either side do not");
    }

    /// <summary>The one stored report of this kind and period (the timer ran twice), as <c>GET admin/reports/{id}</c> serves it.</summary>
    private static async Task<JsonElement> StoredAsync(string kind, DateTime start)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var ids = (await conn.QueryAsync<Guid>("SELECT id FROM cost_reports WHERE kind = @kind AND period_start = @start", new { kind, start = DateTime.SpecifyKind(start, DateTimeKind.Utc) })).ToList();
        Assert.HasCount(1, ids);
        var (response, text) = await ReportTestHost.GetAsync(host, admin.AccessToken, ids[0]);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static decimal Feature(JsonElement report, string feature)
        => report.GetProperty("report").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("key").GetString() == feature).GetProperty("costUsd").GetDecimal();

    private static Task InsertAsync(string feature, params (DateTime At, decimal Cost)[] rows)
        => ReportFixture.InsertAsync(host.ConnectionString,
            rows.Select(r => new LedgerFixtureRow(Guid.NewGuid(), "free", feature, LedgerFixture.OpenAi, "openai", 1, 10, 10, r.Cost, false, DateTime.SpecifyKind(r.At, DateTimeKind.Utc))).ToList());
}
