using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Vigor.Tests.Support;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Admin;

/// <summary>What provider management refuses, on a host of its own with the default (strict) endpoint settings.</summary>
[TestClass]
public sealed class AdminProviderValidationTests
{
    private static TestHost host = null!;
    private static Session admin = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("adminvalidation");
        admin = await host.LoginAdminAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    private static void AssertProblem((HttpStatusCode Status, JsonElement Body, string Text) response, HttpStatusCode status, string code)
    {
        Assert.AreEqual(status, response.Status, response.Text);
        Assert.AreEqual(code, response.Body.GetProperty("code").GetString(), response.Text);
    }

    [TestMethod]
    [DataRow("kind", "\"gemini\"", "kind")]
    [DataRow("kind", "\"offline\"", "kind")]
    [DataRow("kind", "null", "kind")]
    [DataRow("endpoint", "\"http://llm.example.com/v1\"", "endpoint")]
    [DataRow("endpoint", "\"http://127.0.0.1:11434/v1\"", "endpoint")]
    [DataRow("endpoint", "\"https://169.254.169.254/latest/meta-data\"", "endpoint")]
    [DataRow("endpoint", "\"https://10.1.2.3/v1\"", "endpoint")]
    [DataRow("endpoint", "\"not a url\"", "endpoint")]
    [DataRow("endpoint", "null", "endpoint")]
    [DataRow("tiers", "[\"platinum\"]", "tiers[0]")]
    [DataRow("tiers", "[]", "tiers")]
    [DataRow("inputPricePerMillion", "-0.01", "inputPricePerMillion")]
    [DataRow("outputPricePerMillion", "1000.5", "outputPricePerMillion")]
    [DataRow("outputPricePerMillion", "null", "outputPricePerMillion")]
    [DataRow("name", "\"\"", "name")]
    [DataRow("name", "\"a\\u0000b\"", "name")]
    [DataRow("model", "null", "model")]
    [DataRow("priority", "10001", "priority")]
    [DataRow("timeoutSeconds", "0", "timeoutSeconds")]
    [DataRow("timeoutSeconds", "301", "timeoutSeconds")]
    [DataRow("dailyCapUsd", "-1", "dailyCapUsd")]
    [DataRow("apiVersion", "\"2024-10-21\"", "apiVersion")]
    [DataRow("useManagedIdentity", "true", "useManagedIdentity")]
    [DataRow("priority", "\"high\"", "priority")]
    public async Task Create_InvalidField_BadRequestNamingIt_NothingStored(string property, string json, string field)
    {
        var name = UniqueName("invalid");
        var body = Body(name);
        body[property] = JsonNode.Parse(json);

        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/providers", admin.AccessToken, body);

        AssertProblem(response, HttpStatusCode.BadRequest, "validation");
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {response.Text}");
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        Assert.AreEqual(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM llm_providers WHERE name = @name", new { name }));
        Assert.AreEqual(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE after->>'name' = @name", new { name }));
    }

    [TestMethod]
    public async Task AzureOpenAi_WithoutEndpoint_BadRequest_OpenAiWithout_Created()
    {
        var azure = await SendAsync(host, HttpMethod.Post, "/api/admin/providers", admin.AccessToken, Body(UniqueName("azure"), "azure-openai", endpoint: null));
        var openAi = await SendAsync(host, HttpMethod.Post, "/api/admin/providers", admin.AccessToken, Body(UniqueName("openai"), "openai", endpoint: null));

        AssertProblem(azure, HttpStatusCode.BadRequest, "validation");
        Assert.IsTrue(azure.Body.GetProperty("errors").TryGetProperty("endpoint", out _));
        Assert.AreEqual(HttpStatusCode.Created, openAi.Status, openAi.Text);
        Assert.IsFalse(openAi.Body.TryGetProperty("endpoint", out _));
    }

    [TestMethod]
    public async Task DuplicateName_Conflict_OnCreateAndUpdate()
    {
        var name = UniqueName("dup");
        await CreateAsync(host, admin.AccessToken, Body(name));
        var other = (await CreateAsync(host, admin.AccessToken, Body(UniqueName("other")))).GetProperty("id").GetString();

        var create = await SendAsync(host, HttpMethod.Post, "/api/admin/providers", admin.AccessToken, Body(name));
        var update = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{other}", admin.AccessToken, Body(name));

        AssertProblem(create, HttpStatusCode.Conflict, "provider_name_taken");
        AssertProblem(update, HttpStatusCode.Conflict, "provider_name_taken");
    }

    [TestMethod]
    public async Task OfflineCoach_CannotBeChangedKeyedOrDeleted_NorKindGivenAway()
    {
        var before = (await SendAsync(host, HttpMethod.Get, "/api/admin/providers", admin.AccessToken)).Body.EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == OfflineId).GetRawText();
        var other = (await CreateAsync(host, admin.AccessToken, Body(UniqueName("not-offline")))).GetProperty("id").GetString();
        var offlineBody = Body("offline-coach", "offline", endpoint: null);
        offlineBody["enabled"] = false;

        var update = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{OfflineId}", admin.AccessToken, Body("offline-coach", "openai", endpoint: null));
        var disable = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{OfflineId}", admin.AccessToken, offlineBody);
        var secret = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{OfflineId}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = "sk-x" });
        var delete = await SendAsync(host, HttpMethod.Delete, $"/api/admin/providers/{OfflineId}", admin.AccessToken);
        var becomeOffline = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{other}", admin.AccessToken, Body(UniqueName("now-offline"), "offline", endpoint: null));
        var after = (await SendAsync(host, HttpMethod.Get, "/api/admin/providers", admin.AccessToken)).Body.EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == OfflineId).GetRawText();

        AssertProblem(update, HttpStatusCode.Conflict, "provider_built_in");
        AssertProblem(disable, HttpStatusCode.BadRequest, "validation");
        AssertProblem(secret, HttpStatusCode.Conflict, "provider_built_in");
        AssertProblem(delete, HttpStatusCode.Conflict, "provider_built_in");
        AssertProblem(becomeOffline, HttpStatusCode.BadRequest, "validation");
        Assert.AreEqual(before, after);
    }

    [TestMethod]
    [DataRow("00000000-0000-0000-0000-000000000001")]
    [DataRow("not-a-guid")]
    [DataRow("1")]
    public async Task UnknownOrMalformedId_NotFound(string id)
    {
        var update = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}", admin.AccessToken, Body(UniqueName("ghost")));
        var secret = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = "sk-ghost" });
        var delete = await SendAsync(host, HttpMethod.Delete, $"/api/admin/providers/{id}", admin.AccessToken);

        AssertProblem(update, HttpStatusCode.NotFound, "not_found");
        AssertProblem(secret, HttpStatusCode.NotFound, "not_found");
        AssertProblem(delete, HttpStatusCode.NotFound, "not_found");
    }

    [TestMethod]
    [DataRow("{}")]
    [DataRow("{\"apiKey\":\"\"}")]
    [DataRow("{\"apiKey\":\"has space\"}")]
    [DataRow("{\"apiKey\":42}")]
    public async Task Secret_InvalidKey_BadRequestNamingApiKey(string json)
    {
        var id = (await CreateAsync(host, admin.AccessToken, Body(UniqueName("keyless")))).GetProperty("id").GetString();

        var response = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, JsonNode.Parse(json));

        AssertProblem(response, HttpStatusCode.BadRequest, "validation");
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty("apiKey", out _), response.Text);
    }
}
