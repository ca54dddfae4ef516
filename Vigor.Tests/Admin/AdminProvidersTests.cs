using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Tests.Support;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Admin;

/// <summary>Provider management end to end, on a host of its own (providers are global); the tests of a class run one after another.</summary>
[TestClass]
public sealed class AdminProvidersTests
{
    private static TestHost host = null!;
    private static Session admin = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("adminproviders", new Dictionary<string, string?> { ["Llm:AllowHttpEndpoints"] = "true" });
        admin = await host.LoginAdminAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    [TestMethod]
    public async Task Providers_RoundTrip_CreateListUpdateSecretHealthDelete()
    {
        var name = UniqueName("round-trip");

        var created = await CreateAsync(host, admin.AccessToken, Body(name));
        var id = created.GetProperty("id").GetString()!;
        var listed = (await SendAsync(host, HttpMethod.Get, "/api/admin/providers", admin.AccessToken)).Body.EnumerateArray().ToList();
        var updateBody = Body(name + "-v2", endpoint: "http://127.0.0.1:11434/v1");
        updateBody["priority"] = 5;
        updateBody["enabled"] = false;
        var updated = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}", admin.AccessToken, updateBody);
        var secret = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = "sk-round-trip-0123456789" });
        var health = await SendAsync(host, HttpMethod.Get, "/api/admin/providers/health", admin.AccessToken);
        var deleted = await SendAsync(host, HttpMethod.Delete, $"/api/admin/providers/{id}", admin.AccessToken);
        var afterDelete = (await SendAsync(host, HttpMethod.Get, "/api/admin/providers", admin.AccessToken)).Body.EnumerateArray().ToList();

        Assert.AreEqual("openai-compatible", created.GetProperty("kind").GetString());
        Assert.IsFalse(created.GetProperty("hasSecret").GetBoolean());
        CollectionAssert.AreEqual(new[] { "premium", "unlimited" }, created.GetProperty("tiers").EnumerateArray().Select(t => t.GetString()).ToArray());
        Assert.AreEqual(0.60m, created.GetProperty("outputPricePerMillion").GetDecimal());
        Assert.IsTrue(listed.Any(p => p.GetProperty("id").GetString() == id));
        Assert.IsTrue(listed.Any(p => p.GetProperty("id").GetString() == OfflineId && p.GetProperty("builtIn").GetBoolean()));
        Assert.AreEqual(HttpStatusCode.OK, updated.Status, updated.Text);
        Assert.AreEqual(name + "-v2", updated.Body.GetProperty("name").GetString());
        Assert.AreEqual(5, updated.Body.GetProperty("priority").GetInt32());
        Assert.IsFalse(updated.Body.GetProperty("enabled").GetBoolean());
        Assert.AreEqual(HttpStatusCode.OK, secret.Status, secret.Text);
        Assert.IsTrue(secret.Body.GetProperty("hasSecret").GetBoolean());
        Assert.AreEqual("sk-round-trip-0123456789", await host.Services.GetRequiredService<ISecretStore>().GetAsync("llm-provider-" + Guid.Parse(id).ToString("N"), CancellationToken.None));
        Assert.AreEqual(HttpStatusCode.OK, health.Status, health.Text);
        Assert.AreEqual("closed", health.Body.EnumerateArray().Single(p => p.GetProperty("id").GetString() == id).GetProperty("breakerState").GetString());
        Assert.AreEqual(HttpStatusCode.NoContent, deleted.Status, deleted.Text);
        Assert.IsFalse(afterDelete.Any(p => p.GetProperty("id").GetString() == id));
    }

    [TestMethod]
    public async Task Changes_AreAuditLogged_WithActorBeforeAndAfter()
    {
        var name = UniqueName("audited");
        var id = (await CreateAsync(host, admin.AccessToken, Body(name))).GetProperty("id").GetString()!;
        var change = Body(name);
        change["model"] = "llama-3.1-70b";
        await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}", admin.AccessToken, change);
        await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = "sk-audited-secret-value" });
        await SendAsync(host, HttpMethod.Delete, $"/api/admin/providers/{id}", admin.AccessToken);

        var entries = await AuditAsync(host, admin.AccessToken, "provider:" + id);

        CollectionAssert.AreEqual(new[] { "provider.delete", "provider.secret_set", "provider.update", "provider.create" },
            entries.Select(e => e.GetProperty("action").GetString()).ToArray(), "newest first");
        foreach (var entry in entries)
        {
            Assert.AreEqual(admin.UserId.ToString(), entry.GetProperty("actorId").GetString());
            Assert.AreEqual(TestHost.AdminEmail, entry.GetProperty("actorEmail").GetString());
        }
        var (delete, secret, update, create) = (entries[0], entries[1], entries[2], entries[3]);
        Assert.IsFalse(create.TryGetProperty("before", out _));
        Assert.AreEqual(name, create.GetProperty("after").GetProperty("name").GetString());
        Assert.AreEqual("llama-3.1-8b", update.GetProperty("before").GetProperty("model").GetString());
        Assert.AreEqual("llama-3.1-70b", update.GetProperty("after").GetProperty("model").GetString());
        Assert.IsFalse(secret.GetProperty("before").GetProperty("hasSecret").GetBoolean());
        Assert.AreEqual("set", secret.GetProperty("after").GetProperty("secret").GetString());
        Assert.AreEqual("llama-3.1-70b", delete.GetProperty("before").GetProperty("model").GetString());
        Assert.IsFalse(delete.TryGetProperty("after", out _));
    }

    [TestMethod]
    public async Task Update_ToAnotherOrigin_DropsTheKeyUntilSetAgain_SameOriginKeepsIt()
    {
        var name = UniqueName("repointed");
        var id = (await CreateAsync(host, admin.AccessToken, Body(name))).GetProperty("id").GetString()!;
        await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = "sk-stays-home" });

        var samePlace = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}", admin.AccessToken, Body(name, endpoint: "https://LLM.example.com/v2"));
        var elsewhere = await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}", admin.AccessToken, Body(name, endpoint: "https://collector.example.net/v1"));

        Assert.IsTrue(samePlace.Body.GetProperty("hasSecret").GetBoolean(), samePlace.Text);
        Assert.IsFalse(elsewhere.Body.GetProperty("hasSecret").GetBoolean(), elsewhere.Text);
    }

    [TestMethod]
    public async Task SecretKey_NeverInAnyResponse_NorInTheAuditLogOrProviderRow()
    {
        const string key = "sk-live-NEVER-ECHO-7f3a9c1d2e";
        var responses = new List<string>();
        var created = await CreateAsync(host, admin.AccessToken, Body(UniqueName("secretive")));
        var id = created.GetProperty("id").GetString()!;

        responses.Add((await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = key })).Text);
        responses.Add((await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{id}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = key + " with space" })).Text);
        responses.Add((await SendAsync(host, HttpMethod.Put, $"/api/admin/providers/{Guid.NewGuid()}/secret", admin.AccessToken, new JsonObject { ["apiKey"] = key })).Text);
        responses.Add((await SendAsync(host, HttpMethod.Get, "/api/admin/providers", admin.AccessToken)).Text);
        responses.Add((await SendAsync(host, HttpMethod.Get, "/api/admin/providers/health", admin.AccessToken)).Text);
        responses.Add((await SendAsync(host, HttpMethod.Get, "/api/admin/audit?limit=100", admin.AccessToken)).Text);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var audit = await conn.QuerySingleAsync<string>("SELECT coalesce(string_agg(concat_ws(' ', action, target, before::text, after::text), ' '), '') FROM audit_log");
        var rows = await conn.QuerySingleAsync<string>("SELECT string_agg(to_jsonb(p)::text, ' ') FROM llm_providers p");

        foreach (var text in responses.Append(audit).Append(rows))
            Assert.DoesNotContain("NEVER-ECHO", text);
        Assert.Contains("provider.secret_set", audit);
    }

    [TestMethod]
    public async Task Health_ReportsLedgerFigures_AndLastProbe()
    {
        var id = Guid.Parse((await CreateAsync(host, admin.AccessToken, Body(UniqueName("healthy")))).GetProperty("id").GetString()!);
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.ExecuteAsync("""
                INSERT INTO llm_calls (job_id, attempt, tier, feature, provider_id, provider_kind, model, cost_usd, latency_ms, outcome)
                VALUES (@job, 1, 'premium', 'coach_chat', @id, 'openai-compatible', 'm', 0.001, 100, 'ok'),
                       (@job, 2, 'premium', 'coach_chat', @id, 'openai-compatible', 'm', 0.001, 200, 'ok'),
                       (@job, 3, 'premium', 'coach_chat', @id, 'openai-compatible', 'm', 0.001, 300, 'ok'),
                       (@job, 4, 'premium', 'coach_chat', @id, 'openai-compatible', 'm', 0, 1000, 'timeout'),
                       (@job, 5, 'premium', 'coach_chat', @id, 'openai-compatible', 'm', 9, 5, 'ok')
                """, new { job = "health-" + id, id });
            await conn.ExecuteAsync("UPDATE llm_calls SET created_at = now() - interval '25 hours' WHERE job_id = @job AND attempt = 5", new { job = "health-" + id });
            await conn.ExecuteAsync("INSERT INTO provider_breakers (provider_id, opened_at, probe_claimed_at) VALUES (@id, now(), now())", new { id });
        }

        var health = (await SendAsync(host, HttpMethod.Get, "/api/admin/providers/health", admin.AccessToken)).Body
            .EnumerateArray().Single(p => p.GetProperty("id").GetString() == id.ToString());

        var day = health.GetProperty("last24h");
        Assert.AreEqual(4, day.GetProperty("calls").GetInt32(), "the call older than 24 h is left out");
        Assert.AreEqual(1, day.GetProperty("failures").GetInt32());
        Assert.AreEqual(0.25, day.GetProperty("errorRate").GetDouble());
        Assert.AreEqual(250, day.GetProperty("p50Ms").GetDouble());
        Assert.AreEqual(0.003m, day.GetProperty("costUsd").GetDecimal());
        Assert.AreEqual(0.75m, day.GetProperty("costPer1kRequestsUsd").GetDecimal());
        Assert.IsTrue(day.TryGetProperty("lastCallAt", out _));
        Assert.AreEqual(4, health.GetProperty("breaker").GetProperty("calls").GetInt32());
        Assert.AreEqual("closed", health.GetProperty("breakerState").GetString());
        Assert.IsTrue(health.TryGetProperty("lastProbeAt", out _));
    }
}
