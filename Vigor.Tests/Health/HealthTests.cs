using System.Net;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Infrastructure.Durable;
using Vigor.Tests.Support;

namespace Vigor.Tests.Health;

[TestClass]
public sealed class HealthTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task Liveness_OkAnonymously()
    {
        var response = await Host.Client.GetAsync("/api/health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Readiness_RunsADurableOrchestrationThroughTheHttpStarter()
    {
        var response = await Host.Client.GetAsync("/api/health/ready");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        CollectionAssert.AreEquivalent(new[] { "postgresql", "tableStorage", "durable" }, checks.Keys.ToArray());
        Assert.IsTrue(checks.Values.All(s => s == "healthy"));
    }

    [TestMethod]
    public async Task PingOrchestrator_ClassBased_CompletesWithTheActivitysAnswer()
    {
        var client = Host.Services.GetRequiredService<DurableTaskClient>();

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(PingOrchestrator), "probe");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        StringAssert.StartsWith(done.ReadOutputAs<string>(), "pong:probe:");
    }

    [TestMethod]
    public async Task Readiness_Unhealthy503_WhenPostgresIsUnreachable()
    {
        await using var host = await TestHost.StartAsync("unready");
        var broken = await TestHost.StartAsync("unready2", new Dictionary<string, string?>
        {
            ["Database:MigrateOnStartup"] = "false",
            ["Admin:Email"] = "",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
        }, connectionString: host.ConnectionString);
        try
        {
            var response = await broken.Client.GetAsync("/api/health/ready");

            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            StringAssert.Contains(body, "unhealthy");
            Assert.DoesNotContain("Port=1", body);
        }
        finally
        {
            await broken.DisposeAsync();
        }
    }
}
