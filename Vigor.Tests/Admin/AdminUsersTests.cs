using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Vigor.Core.Usage;
using Vigor.Tests.Support;
using Vigor.Tests.Usage;
using static Vigor.Tests.Admin.AdminProviderTestKit;

namespace Vigor.Tests.Admin;

/// <summary>Admin user detail, tier and status changes on the shared host (each test changes only users it registers).</summary>
[TestClass]
public sealed class AdminUsersTests
{
    private static TestHost Host => SharedHost.Host;

    private static JsonObject Status(string status, string? reason = null) => new() { ["status"] = status, ["reason"] = reason };

    private static async Task<List<JsonElement>> AuditOfAsync(string token, string action, Guid user)
    {
        var page = await AiCallKit.GetJsonAsync(Host, $"/api/admin/audit?action={action}&limit=100", token);
        return page.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("target").GetString() == $"user:{user}").ToList();
    }

    [TestMethod]
    public async Task Suspend_SameTokenRefusedAtOnce_RefreshAndLoginToo_ReactivateRestoresAccess()
    {
        var admin = await Host.LoginAdminAsync();
        var user = await Host.RegisterAsync();
        var before = await Host.SendAsync(HttpMethod.Get, "/api/me", user.AccessToken);

        var suspended = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{user.UserId}/status", admin.AccessToken, Status("suspended", "chargeback fraud"));
        var meSuspended = await Host.SendAsync(HttpMethod.Get, "/api/me", user.AccessToken);
        var usageSuspended = await Host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken);
        var refresh = await Host.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        var login = await Host.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        var reactivated = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{user.UserId}/status", admin.AccessToken, Status("active"));
        var meAgain = await Host.SendAsync(HttpMethod.Get, "/api/me", user.AccessToken);
        var audit = await AuditOfAsync(admin.AccessToken, "user.status", user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, before.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, suspended.Status, suspended.Text);
        Assert.AreEqual("suspended", suspended.Body.GetProperty("status").GetString());
        Assert.AreEqual(HttpStatusCode.Unauthorized, meSuspended.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, usageSuspended.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, refresh.StatusCode, "suspension revokes the refresh tokens");
        Assert.AreEqual(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, reactivated.Status, reactivated.Text);
        Assert.AreEqual("active", reactivated.Body.GetProperty("status").GetString());
        Assert.AreEqual(HttpStatusCode.OK, meAgain.StatusCode);
        Assert.HasCount(2, audit);
        Assert.AreEqual(admin.UserId.ToString(), audit[1].GetProperty("actorId").GetString());
        Assert.AreEqual("active", audit[1].GetProperty("before").GetProperty("status").GetString());
        Assert.AreEqual("suspended", audit[1].GetProperty("after").GetProperty("status").GetString());
        Assert.AreEqual("chargeback fraud", audit[1].GetProperty("after").GetProperty("reason").GetString());
        Assert.AreEqual("active", audit[0].GetProperty("after").GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Suspend_AnotherAdmin_TheirTokenStops_ButNotThemselves()
    {
        var admin = await Host.LoginAdminAsync();
        var other = await Host.RegisterAsync();
        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE users SET role = 'admin' WHERE id = @id", new { id = other.UserId });

        var self = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{admin.UserId}/status", admin.AccessToken, Status("suspended"));
        var byOther = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{other.UserId}/status", other.AccessToken, Status("suspended"));
        var ofOther = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{other.UserId}/status", admin.AccessToken, Status("suspended"));
        var otherAfter = await Host.SendAsync(HttpMethod.Get, "/api/admin/users", other.AccessToken);
        var adminAfter = await Host.SendAsync(HttpMethod.Get, "/api/admin/users", admin.AccessToken);

        Assert.AreEqual(HttpStatusCode.Conflict, self.Status, self.Text);
        Assert.AreEqual("self_suspension", self.Body.GetProperty("code").GetString());
        Assert.AreEqual(HttpStatusCode.Conflict, byOther.Status, byOther.Text);
        Assert.AreEqual(HttpStatusCode.OK, ofOther.Status, ofOther.Text);
        Assert.AreEqual(HttpStatusCode.Unauthorized, otherAfter.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, adminAfter.StatusCode);
    }

    [TestMethod]
    public async Task ChangeTier_AppliesToMyUsageAtOnce_AuditedOnceForARepeat()
    {
        var admin = await Host.LoginAdminAsync();
        var user = await Host.RegisterAsync();

        var changed = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{user.UserId}/tier", admin.AccessToken, new JsonObject { ["tier"] = "premium" });
        var repeated = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{user.UserId}/tier", admin.AccessToken, new JsonObject { ["tier"] = "premium" });
        var usage = await AiCallKit.GetJsonAsync(Host, "/api/me/usage", user.AccessToken);
        var audit = await AuditOfAsync(admin.AccessToken, "user.tier", user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, changed.Status, changed.Text);
        Assert.AreEqual("premium", changed.Body.GetProperty("tier").GetString());
        Assert.AreEqual(HttpStatusCode.OK, repeated.Status, repeated.Text);
        Assert.AreEqual("premium", usage.GetProperty("tier").GetString());
        Assert.AreEqual(50, usage.GetProperty("requests")[0].GetProperty("limit").GetInt64());
        Assert.AreEqual(3m, usage.GetProperty("budget").GetProperty("limitUsd").GetDecimal());
        Assert.HasCount(1, audit);
        Assert.AreEqual("free", audit[0].GetProperty("before").GetProperty("tier").GetString());
        Assert.AreEqual("premium", audit[0].GetProperty("after").GetProperty("tier").GetString());
    }

    [TestMethod]
    public async Task GetUser_DetailWithThisMonthsLedgerUsage()
    {
        var admin = await Host.LoginAdminAsync();
        var user = await Host.RegisterAsync();
        var now = DateTime.UtcNow.AddMinutes(-1);
        await LedgerFixture.InsertAsync(Host.ConnectionString,
        [
            new(user.UserId, "free", Features.CoachChat, LedgerFixture.OpenAi, "openai", 1, 1200, 300, 0.004321m, false, now),
            new(user.UserId, "free", Features.CoachChat, null, "cache", 0, 0, 0, 0m, true, now),
            new(user.UserId, "free", Features.CoachChat, LedgerFixture.OpenAi, "openai", 1, 999, 999, 0.5m, false, now.AddDays(-40)),
        ]);

        var detail = await AiCallKit.GetJsonAsync(Host, $"/api/admin/users/{user.UserId}", admin.AccessToken);

        Assert.AreEqual(user.Email, detail.GetProperty("email").GetString());
        Assert.AreEqual("user", detail.GetProperty("role").GetString());
        Assert.AreEqual("free", detail.GetProperty("tier").GetString());
        Assert.AreEqual("active", detail.GetProperty("status").GetString());
        Assert.IsTrue(detail.GetProperty("createdAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-10));
        var usage = detail.GetProperty("usage");
        Assert.AreEqual(now.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), usage.GetProperty("month").GetString());
        Assert.AreEqual(2, usage.GetProperty("requests").GetInt64());
        Assert.AreEqual(1200, usage.GetProperty("inputTokens").GetInt64());
        Assert.AreEqual(300, usage.GetProperty("outputTokens").GetInt64());
        Assert.AreEqual(0.004321m, usage.GetProperty("costUsd").GetDecimal());
    }

    [TestMethod]
    [DataRow("tier", "{\"tier\":\"gold\"}", "tier")]
    [DataRow("tier", "{}", "tier")]
    [DataRow("status", "{\"status\":\"banned\"}", "status")]
    [DataRow("status", "{}", "status")]
    [DataRow("status", "{\"status\":\"suspended\",\"reason\":\"REASON\"}", "reason")]
    public async Task Change_Invalid_BadRequestNamingTheField_NothingChanged(string what, string json, string field)
    {
        var admin = await Host.LoginAdminAsync();
        var user = await Host.RegisterAsync();

        var response = await SendAsync(Host, HttpMethod.Put, $"/api/admin/users/{user.UserId}/{what}", admin.AccessToken,
            JsonNode.Parse(json.Replace("REASON", new string('x', 501), StringComparison.Ordinal)));
        var detail = await AiCallKit.GetJsonAsync(Host, $"/api/admin/users/{user.UserId}", admin.AccessToken);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.Status, response.Text);
        Assert.IsTrue(response.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {response.Text}");
        Assert.AreEqual("free", detail.GetProperty("tier").GetString());
        Assert.AreEqual("active", detail.GetProperty("status").GetString());
    }

    [TestMethod]
    [DataRow("GET", "", null)]
    [DataRow("PUT", "/tier", "{\"tier\":\"premium\"}")]
    [DataRow("PUT", "/status", "{\"status\":\"suspended\"}")]
    public async Task UnknownUser_NotFound(string method, string suffix, string? json)
    {
        var admin = await Host.LoginAdminAsync();

        var unknown = await SendAsync(Host, new HttpMethod(method), $"/api/admin/users/{Guid.NewGuid()}{suffix}", admin.AccessToken, json is null ? null : JsonNode.Parse(json));
        var malformed = await SendAsync(Host, new HttpMethod(method), $"/api/admin/users/not-a-user{suffix}", admin.AccessToken, json is null ? null : JsonNode.Parse(json));

        Assert.AreEqual(HttpStatusCode.NotFound, unknown.Status, unknown.Text);
        Assert.AreEqual(HttpStatusCode.NotFound, malformed.Status, malformed.Text);
    }
}
