using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed partial class VigorMetricsTests
{
    [TestMethod]
    public void RecordLlmCall_EmitsRequestCostTokensAndLatency_WithTierAndProvider()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<VigorMetrics>().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(factory, VigorMetrics.MeterName, "vigor.llm.requests");
        using var cost = new MetricCollector<double>(factory, VigorMetrics.MeterName, "vigor.llm.cost_usd");
        using var tokens = new MetricCollector<long>(factory, VigorMetrics.MeterName, "vigor.llm.tokens");
        using var latency = new MetricCollector<double>(factory, VigorMetrics.MeterName, "vigor.llm.latency");
        using var fallbacks = new MetricCollector<long>(factory, VigorMetrics.MeterName, "vigor.llm.fallbacks");
        var metrics = services.GetRequiredService<VigorMetrics>();

        metrics.RecordLlmCall("premium", "openai", "success", inputTokens: 1200, outputTokens: 300, costUsd: 0.0125m, TimeSpan.FromMilliseconds(850));
        metrics.RecordFallback("premium", "openai", "timeout");

        var request = requests.GetMeasurementSnapshot().Single();
        Assert.AreEqual(1, request.Value);
        Assert.AreEqual("premium", request.Tags["tier"]);
        Assert.AreEqual("openai", request.Tags["provider"]);
        Assert.AreEqual("success", request.Tags["outcome"]);
        Assert.AreEqual(0.0125, cost.LastMeasurement!.Value, 1e-9);
        CollectionAssert.AreEquivalent(new[] { "tier", "provider" }, cost.LastMeasurement.Tags.Keys.ToArray(), "cost per tier and provider, as the workbook sums it");
        var byDirection = tokens.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["direction"]!, m => m.Value);
        Assert.AreEqual(1200, byDirection["input"]);
        Assert.AreEqual(300, byDirection["output"]);
        Assert.AreEqual(850, latency.LastMeasurement!.Value, 1e-9);
        Assert.AreEqual("timeout", fallbacks.LastMeasurement!.Tags["reason"]);
    }

    [TestMethod]
    public void Gauges_ReportBreakerStateAndBudgetUtilisation_ByProviderAndScope()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<VigorMetrics>().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var breakers = new MetricCollector<int>(factory, VigorMetrics.MeterName, "vigor.llm.breaker_state");
        using var budgets = new MetricCollector<double>(factory, VigorMetrics.MeterName, "vigor.budget.utilisation");
        var metrics = services.GetRequiredService<VigorMetrics>();

        metrics.SetBreakerState("anthropic", BreakerState.Open);
        metrics.SetBudgetUtilisation("global", 0.82);
        breakers.RecordObservableInstruments();
        budgets.RecordObservableInstruments();

        Assert.AreEqual((int)BreakerState.Open, breakers.LastMeasurement!.Value);
        Assert.AreEqual("anthropic", breakers.LastMeasurement.Tags["provider"]);
        Assert.AreEqual(0.82, budgets.LastMeasurement!.Value, 1e-9);
        Assert.AreEqual("global", budgets.LastMeasurement.Tags["scope"]);
    }

    [TestMethod]
    [DataRow("someone@example.com")]
    [DataRow("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [DataRow("0f8fad5bd9cb469fa16570867728950e")]
    [DataRow("Free text with spaces")]
    public void Label_PersonalDataOrFreeText_BecomesOther(string value)
        => Assert.AreEqual("other", VigorMetrics.Label(value));

    [TestMethod]
    public async Task Login_CountsSuccessFailureAndThrottled_WithoutPersonalData()
    {
        await using var host = await TestHost.StartAsync("metrics", new Dictionary<string, string?> { ["Auth:Throttle:AccountFailures"] = "2" });
        using var logins = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), VigorMetrics.MeterName, "vigor.auth.logins");
        var user = await host.RegisterAsync();
        async Task<HttpStatusCode> LoginAsync(string password)
            => (await host.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password })).StatusCode;

        var statuses = new[]
        {
            await LoginAsync(user.Password),
            await LoginAsync("wrong password number one"),
            await LoginAsync("wrong password number two"),
            await LoginAsync(user.Password),
        };

        CollectionAssert.AreEqual(new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }, statuses);
        var measurements = logins.GetMeasurementSnapshot();
        CollectionAssert.AreEqual(new[] { "success", "failure", "failure", "throttled" }, measurements.Select(m => (string)m.Tags["outcome"]!).ToArray());
        foreach (var measurement in measurements)
        {
            CollectionAssert.AreEqual(new[] { "outcome" }, measurement.Tags.Keys.ToArray());
            Assert.AreEqual(1, measurement.Value);
        }
    }

    [TestMethod]
    public void WorkbookAndAlerts_QueryOnlyInstrumentsTheAppCreates()
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        using var services = new ServiceCollection().AddMetrics().AddSingleton<VigorMetrics>().BuildServiceProvider();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == VigorMetrics.MeterName)
                    created.Add(instrument.Name);
            };
            listener.Start();
            _ = services.GetRequiredService<VigorMetrics>();
        }
        var modules = Path.Combine(TestEnvironment.RepoRoot, "infra-bicep", "modules");

        var queried = new[] { "workbook.bicep", "alerts.bicep" }
            .SelectMany(f => MetricName().Matches(File.ReadAllText(Path.Combine(modules, f))).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var name in new[] { "vigor.llm.requests", "vigor.llm.fallbacks", "vigor.llm.cost_usd", "vigor.llm.tokens", "vigor.llm.latency", "vigor.llm.breaker_state", "vigor.budget.utilisation", "vigor.auth.logins" })
            Assert.Contains(name, created);
        Assert.IsTrue(queried.IsSupersetOf(["vigor.llm.cost_usd", "vigor.llm.requests", "vigor.llm.fallbacks"]), string.Join(", ", queried));
        foreach (var name in queried)
            Assert.Contains(name, created, $"the workbook or an alert queries {name}, which the app does not emit");
    }

    [GeneratedRegex(@"\bvigor\.[a-z_]+\.[a-z_]+\b")]
    private static partial Regex MetricName();
}
