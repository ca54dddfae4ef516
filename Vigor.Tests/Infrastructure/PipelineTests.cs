using System.Net;
using Microsoft.Extensions.Options;
using Vigor.LocalHost;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed class PipelineTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task EveryAnswer_CarriesSecurityHeadersAndACorrelationId()
    {
        var ok = await Host.Client.GetAsync("/api/health");
        var problem = await Host.Client.GetAsync("/api/me");

        foreach (var response in new[] { ok, problem })
        {
            Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.AreEqual("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.AreEqual("no-store", response.Headers.CacheControl!.ToString());
            Assert.IsTrue(response.Headers.TryGetValues("X-Correlation-Id", out _));
        }
    }

    [TestMethod]
    public async Task CorrelationId_WellFormedIsEchoed_HostileIsReplaced()
    {
        var echoed = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        echoed.Headers.Add("X-Correlation-Id", "abc-123");
        var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        hostile.Headers.TryAddWithoutValidation("X-Correlation-Id", "<script>alert(1)</script>");

        var a = await Host.Client.SendAsync(echoed);
        var b = await Host.Client.SendAsync(hostile);

        Assert.AreEqual("abc-123", a.Headers.GetValues("X-Correlation-Id").Single());
        StringAssert.Contains(await a.Content.ReadAsStringAsync(), "\"correlationId\":\"abc-123\"");
        Assert.AreNotEqual("<script>alert(1)</script>", b.Headers.GetValues("X-Correlation-Id").Single());
    }

    [TestMethod]
    public async Task UnknownRoute_NotFound()
        => Assert.AreEqual(HttpStatusCode.NotFound, (await Host.Client.GetAsync("/api/nothing-here")).StatusCode);

    [TestMethod]
    [DataRow("Database:ConnectionString", "Database:ConnectionString")]
    [DataRow("Auth:Issuer", "Auth:Issuer")]
    [DataRow("Storage:ConnectionString", "Storage:ConnectionString")]
    public async Task Startup_MissingSetting_FailsNamingIt(string setting, string named)
    {
        var app = LocalHostApp.Build([], config =>
        {
            config["Urls"] = "http://127.0.0.1:0";
            config["Database:ConnectionString"] = "Host=127.0.0.1;Port=1";
            config["Storage:ConnectionString"] = TestEnvironment.Storage;
            config["Auth:Issuer"] = "x";
            config["Auth:Audience"] = "y";
            config[setting] = "";
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        StringAssert.Contains(error.Message, named);
        await app.DisposeAsync();
    }
}
