using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Core.Usage.Budgets;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

[TestClass]
public sealed class BudgetWatchTests
{
    private static readonly DateTimeOffset Nov20Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task RunAsync_SpendCrossesThresholds_EachRaisedOnceAcrossRuns()
    {
        await using var host = await RollupTestHost.StartAsync();
        await SetGlobalBudgetAsync(host, 10m);
        var (watch, log) = Watch(host, new FakeTimeProvider(Nov20Noon));

        await SpendAsync(host, Nov20Noon.AddHours(-30), 5.50m);
        var first = await watch.RunAsync(CancellationToken.None);
        var again = await watch.RunAsync(CancellationToken.None);
        await SpendAsync(host, Nov20Noon.AddHours(-1), 3.00m);
        var second = await watch.RunAsync(CancellationToken.None);
        await SpendAsync(host, Nov20Noon.AddMinutes(-5), 2.00m);
        var third = await watch.RunAsync(CancellationToken.None);
        var fourth = await watch.RunAsync(CancellationToken.None);

        CollectionAssert.AreEqual(new[] { 50 }, first.Raised.Select(a => a.Threshold).ToList());
        Assert.IsEmpty(again.Raised);
        CollectionAssert.AreEqual(new[] { 80 }, second.Raised.Select(a => a.Threshold).ToList());
        CollectionAssert.AreEqual(new[] { 95, 100 }, third.Raised.Select(a => a.Threshold).ToList());
        Assert.IsEmpty(fourth.Raised);
        Assert.AreEqual(10.50m, fourth.Global.SpentUsd);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var stored = (await conn.QueryAsync<(string Scope, string Period, int Threshold, decimal Spent)>(
            "SELECT scope, period, threshold, spent_usd FROM budget_alerts ORDER BY threshold")).ToList();
        CollectionAssert.AreEqual(new[] { ("global", "2026-11", 50, 5.50m), ("global", "2026-11", 80, 8.50m), ("global", "2026-11", 95, 10.50m), ("global", "2026-11", 100, 10.50m) }, stored);
        var events = log.Collector.GetSnapshot().Where(r => r.Id.Name == "BudgetThresholdCrossed").ToList();
        Assert.HasCount(4, events);
        Assert.AreEqual(LogLevel.Warning, events[0].Level);
        Assert.StartsWith("BudgetThresholdCrossed: global spent 5.5", events[0].Message);
    }

    [TestMethod]
    public async Task RunAsync_NextMonth_RaisesTheThresholdsAgain()
    {
        await using var host = await RollupTestHost.StartAsync();
        await SetGlobalBudgetAsync(host, 10m);
        var time = new FakeTimeProvider(Nov20Noon);
        var (watch, _) = Watch(host, time);
        await SpendAsync(host, Nov20Noon.AddHours(-1), 6m);

        var november = await watch.RunAsync(CancellationToken.None);
        time.SetUtcNow(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var decemberBefore = await watch.RunAsync(CancellationToken.None);
        await SpendAsync(host, new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero), 5m);
        var december = await watch.RunAsync(CancellationToken.None);

        Assert.AreEqual("2026-11", november.Raised.Single().Period);
        Assert.IsEmpty(decemberBefore.Raised, "November's spend does not count in December");
        Assert.AreEqual(("2026-12", 50), (december.Raised.Single().Period, december.Raised.Single().Threshold));
    }

    [TestMethod]
    public async Task RunAsync_ProviderMonthlyCap_AlertsForThatProvider()
    {
        await using var host = await RollupTestHost.StartAsync();
        var providerId = Guid.NewGuid();
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.ExecuteAsync("INSERT INTO llm_providers (id, name, kind, model, monthly_cap_usd) VALUES (@providerId, 'capped-openai', 'openai', 'm', 1.00)",
                new { providerId });
        }
        await SpendAsync(host, Nov20Noon.AddHours(-2), 0.85m, providerId);
        var (watch, _) = Watch(host, new FakeTimeProvider(Nov20Noon));

        var run = await watch.RunAsync(CancellationToken.None);

        CollectionAssert.AreEqual(new[] { ("provider.capped-openai", 50), ("provider.capped-openai", 80) },
            run.Raised.Select(a => (a.Scope, a.Threshold)).ToList(), "the global budget of $500 is far away");
    }

    [TestMethod]
    public async Task RunAsync_Webhook_GetsTeamsSlackJsonWithTheForecast()
    {
        await using var webhook = await WebhookListener.StartAsync();
        await using var host = await RollupTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Secrets:alerts-webhook-url"] = webhook.Url.ToString(),
            ["Alerts:WebhookUrl"] = "http://127.0.0.1:9/not-this-one",
        });
        await SetGlobalBudgetAsync(host, 10m);
        await SpendAsync(host, Nov20Noon.AddHours(-1), 5m);
        var (watch, _) = Watch(host, new FakeTimeProvider(Nov20Noon));

        var run = await watch.RunAsync(CancellationToken.None);
        await watch.RunAsync(CancellationToken.None);

        Assert.AreEqual(1, run.Notified);
        var (contentType, body) = webhook.Received.Single();
        Assert.StartsWith("application/json", contentType);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.AreEqual("text", json.Single().Key);
        var text = (string)json["text"]!;
        Assert.Contains("global has spent $5.00 of its $10.00 budget for 2026-11", text);
        Assert.Contains("50 % threshold", text);
        Assert.Contains($"Month-end forecast: ${run.Global.ForecastUsd:0.00}", text);
    }

    [TestMethod]
    public async Task RunAsync_WebhookFails_NotFatal_AndALaterRunDeliversTheAlert()
    {
        await using var webhook = await WebhookListener.StartAsync();
        await using var host = await RollupTestHost.StartAsync(new Dictionary<string, string?> { ["Alerts:WebhookUrl"] = webhook.Url.ToString() });
        await SetGlobalBudgetAsync(host, 10m);
        await SpendAsync(host, Nov20Noon.AddHours(-1), 8m);
        var (watch, _) = Watch(host, new FakeTimeProvider(Nov20Noon));
        webhook.Status = 503;

        var failing = await watch.RunAsync(CancellationToken.None);
        webhook.Status = 200;
        var retried = await watch.RunAsync(CancellationToken.None);
        var quiet = await watch.RunAsync(CancellationToken.None);

        Assert.HasCount(2, failing.Raised);
        Assert.AreEqual(0, failing.Notified);
        Assert.IsEmpty(retried.Raised);
        Assert.AreEqual(2, retried.Notified);
        Assert.AreEqual(0, quiet.Notified);
        Assert.HasCount(3, webhook.Received, "one refused post, then the 50 % and 80 % alerts once each");
    }

    [TestMethod]
    public async Task WatchBudgets_RunNowOnTheLocalHost_RaisesTheAlertAndSetsTheGauge()
    {
        await using var host = await RollupTestHost.StartAsync();
        using var gauge = new MetricCollector<double>(host.Services.GetRequiredService<IMeterFactory>(), VigorMetrics.MeterName, "vigor.budget.utilisation");
        await SetGlobalBudgetAsync(host, 2m);
        await SpendAsync(host, DateTimeOffset.UtcNow, 1.20m);

        var response = await host.Client.PostAsync("/admin/functions/WatchBudgets", null);
        gauge.RecordObservableInstruments();

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        Assert.AreEqual(50, await conn.ExecuteScalarAsync<int>("SELECT threshold FROM budget_alerts WHERE scope = 'global'"));
        var global = gauge.GetMeasurementSnapshot().Last(m => (string?)m.Tags["scope"] == "global");
        Assert.AreEqual(0.6, global.Value, 1e-9);
        var free = gauge.GetMeasurementSnapshot().Last(m => (string?)m.Tags["scope"] == "tier.free");
        Assert.AreEqual(0.6, free.Value, 1e-9, "the tier's share of the global budget");
    }

    private static (BudgetWatch Watch, FakeLogger<BudgetWatch> Log) Watch(TestHost host, TimeProvider time)
    {
        var forecaster = ActivatorUtilities.CreateInstance<SpendForecaster>(host.Services, time);
        var log = new FakeLogger<BudgetWatch>();
        return (ActivatorUtilities.CreateInstance<BudgetWatch>(host.Services, forecaster, (ILogger<BudgetWatch>)log), log);
    }

    private static async Task SetGlobalBudgetAsync(TestHost host, decimal usd)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.ExecuteAsync("UPDATE budget_settings SET global_monthly_usd = @usd", new { usd });
    }

    /// <summary>Ledger rows of $0.50 or less (free tier, coach chat) adding up to <paramref name="usd"/> at <paramref name="at"/>.</summary>
    internal static Task SpendAsync(TestHost host, DateTimeOffset at, decimal usd, Guid? providerId = null)
    {
        var rows = new List<LedgerFixtureRow>();
        for (var left = usd; left > 0; left -= 0.5m)
            rows.Add(new(Guid.NewGuid(), "free", "coach_chat", providerId ?? LedgerFixture.OpenAi, "openai", 1, 100, 100, Math.Min(0.5m, left), false, at.UtcDateTime));
        return LedgerFixture.InsertAsync(host.ConnectionString, rows);
    }
}
