using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Functions.Infrastructure;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed class FunctionMetadataTests
{
    private static string RepoRoot => TestEnvironment.RepoRoot;

    private static List<JsonElement> ReadMetadata()
    {
        // The Functions SDK writes functions.metadata next to every build of the app, and the test build references it.
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.IsTrue(File.Exists(path), "functions.metadata is missing from the build output");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToList();
    }

    [TestMethod]
    public void Metadata_ListsEveryHttpFunction_WithTheLocalHostsRoutesAndMethods()
    {
        var metadata = ReadMetadata();
        var http = metadata
            .Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: f.GetProperty("bindings").EnumerateArray().FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger")))
            .Where(f => f.Trigger.ValueKind == JsonValueKind.Object)
            .ToDictionary(f => f.Name, f => (Route: f.Trigger.GetProperty("route").GetString()!,
                Methods: f.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order().ToArray()));
        var served = SharedHost.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .ToDictionary(e => e.DisplayName!, e => (Route: e.RoutePattern.RawText!.TrimStart('/'),
                Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Order().ToArray()));

        CollectionAssert.AreEquivalent(http.Keys.ToList(), FunctionCatalog.Http.Select(f => f.Name).ToList());
        CollectionAssert.AreEquivalent(http.Keys.ToList(), served.Keys.ToList());
        foreach (var (name, expected) in http)
        {
            Assert.AreEqual(expected.Route, served[name].Route, name);
            CollectionAssert.AreEqual(expected.Methods, served[name].Methods, name);
        }
    }

    [TestMethod]
    public void Metadata_ListsTimersAndDurableWrappers()
    {
        var types = ReadMetadata().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings")[0].GetProperty("type").GetString());

        foreach (var timer in FunctionCatalog.Timers)
            Assert.AreEqual("timerTrigger", types[timer.Name]);
        Assert.AreEqual("orchestrationTrigger", types["PingOrchestrator"]);
        Assert.AreEqual("activityTrigger", types["PingActivity"]);
    }

    [TestMethod]
    public void Routes_NeverStartWithTheHostsReservedPrefixes()
    {
        // The Functions host refuses routes and function names that start with "admin" or "runtime",
        // whatever the route prefix: that is why host.json's prefix is empty and routes carry "api/".
        foreach (var function in FunctionCatalog.Http)
        {
            Assert.StartsWith("api/", function.Route, function.Name);
            Assert.IsFalse(function.Name.StartsWith("admin", StringComparison.OrdinalIgnoreCase), function.Name);
        }
    }

    [TestMethod]
    [TestCategory("Slow")]
    public async Task Publish_ProducesDeployableApp_WithoutTestHostAssemblies()
    {
        var output = Path.Combine(Path.GetTempPath(), "vigor-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo("dotnet", ["publish", Path.Combine(RepoRoot, "Vigor.Functions", "Vigor.Functions.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            var log = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            await process.WaitForExitAsync(timeout.Token);
            Assert.AreEqual(0, process.ExitCode, await log + await errors);

            foreach (var required in new[] { "functions.metadata", "worker.config.json", "host.json", "Vigor.Functions.dll", "extensions.json" })
                Assert.IsTrue(File.Exists(Path.Combine(output, required)) || File.Exists(Path.Combine(output, "bin", required)), $"{required} missing from publish output");
            var assemblies = Directory.GetFiles(output, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
            Assert.IsFalse(assemblies.Any(a => a!.Contains("InProcessTestHost", StringComparison.OrdinalIgnoreCase)), "the in-process Durable test host must not ship");
            Assert.IsFalse(assemblies.Any(a => a!.StartsWith("Vigor.LocalHost", StringComparison.Ordinal) || a.StartsWith("Microsoft.VisualStudio.TestPlatform", StringComparison.Ordinal) || a.StartsWith("MSTest", StringComparison.Ordinal)));
            Assert.IsFalse(File.Exists(Path.Combine(output, "local.settings.json")));
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }
}
