using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

/// <summary>
/// AddVigorTelemetry against a loopback Application Insights ingestion fake: with a connection string both hosts send
/// the Vigor metrics (and the local host its requests and logs) in Azure Monitor's format; without one, nothing is set up.
/// </summary>
[TestClass]
public sealed class TelemetryExportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [ClassInitialize]
    public static void DisableSdkSelfTelemetry(TestContext context)
    {
        _ = context;
        // The exporter's own usage statistics ("statsbeat") go to a Microsoft endpoint: never from a test machine.
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "true");
    }

    [TestMethod]
    public async Task FunctionsWorker_WithConnectionString_ExportsVigorMetrics()
    {
        await using var ingestion = await FakeAzureMonitor.StartAsync();
        await using var services = Services(ingestion.ConnectionString).BuildServiceProvider();
        var meterProvider = services.GetRequiredService<MeterProvider>();
        var metrics = services.GetRequiredService<VigorMetrics>();

        metrics.RecordLlmCall("free", "offline", "success", 10, 20, 0.5m, TimeSpan.FromMilliseconds(12));
        metrics.RecordLogin(LoginOutcome.Throttled);
        Assert.IsTrue(meterProvider.ForceFlush(10_000));
        var arrived = await ingestion.WaitForAsync(f => Metric(f, "vigor.llm.cost_usd") is not null && Metric(f, "vigor.auth.logins") is not null, Wait);

        Assert.IsTrue(arrived, "metrics did not reach the ingestion endpoint: " + string.Join(", ", MetricNames(ingestion)));
        var cost = Metric(ingestion, "vigor.llm.cost_usd")!;
        Assert.AreEqual("free", (string?)cost["properties"]!["tier"]);
        Assert.AreEqual("offline", (string?)cost["properties"]!["provider"]);
        Assert.AreEqual(0.5, (double)cost["metrics"]![0]!["value"]!, 1e-9);
        Assert.AreEqual("throttled", (string?)Metric(ingestion, "vigor.auth.logins")!["properties"]!["outcome"]);
    }

    [TestMethod]
    public async Task FunctionsWorker_WithoutConnectionString_RegistersNoExporter()
    {
        await using var services = Services(connectionString: null).BuildServiceProvider();

        Assert.IsNull(services.GetService<MeterProvider>());
        Assert.IsNull(services.GetService<TracerProvider>());
        Assert.IsNotNull(services.GetService<VigorMetrics>(), "the meter works in process either way");
    }

    [TestMethod]
    public async Task LocalHost_WithConnectionString_ExportsRequestsLogsAndLoginMetrics()
    {
        await using var ingestion = await FakeAzureMonitor.StartAsync();
        await using var host = await TestHost.StartAsync("telemetry", new Dictionary<string, string?>
        {
            [TelemetryOptions.ConnectionStringSetting] = ingestion.ConnectionString,
            ["Telemetry:SamplingRatio"] = "1",
            ["Logging:LogLevel:Default"] = "Information",
        });
        var user = await host.RegisterAsync();

        var login = await host.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        Assert.AreEqual(HttpStatusCode.OK, login.StatusCode);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
        host.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000);
        var arrived = await ingestion.WaitForAsync(
            f => Metric(f, "vigor.auth.logins") is not null && f.OfType("RequestData").Any(r => ((string?)r["url"])?.EndsWith("/api/auth/login", StringComparison.Ordinal) == true),
            Wait);

        Assert.IsTrue(arrived, "telemetry did not reach the ingestion endpoint: " + string.Join(", ", MetricNames(ingestion)));
        Assert.AreEqual("success", (string?)Metric(ingestion, "vigor.auth.logins")!["properties"]!["outcome"]);
        Assert.IsNotEmpty(ingestion.OfType("MessageData").ToList(), "the local host exports its logs");
        var everything = string.Join('\n', ingestion.Items.Select(i => i.ToJsonString()));
        Assert.DoesNotContain(user.Email, everything, "an email address reached telemetry");
        Assert.DoesNotContain(user.Password, everything);
    }

    private static ServiceCollection Services(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryOptions.ConnectionStringSetting] = connectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging().AddMetrics().AddSingleton<VigorMetrics>();
        services.AddVigorTelemetry(configuration, TelemetryHost.Functions);
        return services;
    }

    private static JsonObject? Metric(FakeAzureMonitor ingestion, string name)
        => ingestion.OfType("MetricData").LastOrDefault(m => (string?)m["metrics"]?[0]?["name"] == name);

    private static IEnumerable<string?> MetricNames(FakeAzureMonitor ingestion)
        => ingestion.OfType("MetricData").Select(m => (string?)m["metrics"]?[0]?["name"]).Distinct();
}
