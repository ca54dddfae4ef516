using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigor.Core.Auth;
using Vigor.Tests.Support;

namespace Vigor.Tests.Auth;

[TestClass]
public sealed class AccountFlowTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task FullFlow_RegisterLoginMeProfileRefreshReplayLogout_BehavesAsContracted()
    {
        var email = $"flow-{Guid.NewGuid():N}@example.com";
        var registered = await Host.RegisterAsync(email);

        var login = await Host.Client.PostAsJsonAsync("/api/auth/login", new { email, password = registered.Password });
        Assert.AreEqual(HttpStatusCode.OK, login.StatusCode);
        var session = (await login.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.AreEqual(900, session.ExpiresIn);

        var me = await Host.SendAsync(HttpMethod.Get, "/api/me", session.AccessToken);
        Assert.AreEqual(HttpStatusCode.OK, me.StatusCode);
        var meJson = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual(email, meJson.GetProperty("email").GetString());
        Assert.AreEqual("free", meJson.GetProperty("tier").GetString());
        Assert.AreEqual("user", meJson.GetProperty("role").GetString());

        var profile = await Host.SendAsync(HttpMethod.Put, "/api/me/profile", session.AccessToken, new
        {
            fitnessLevel = "intermediate",
            goals = new[] { "strength", "hypertrophy" },
            equipment = new[] { "barbell", "bench", "dumbbells" },
            injuries = new[] { new { area = "knee", note = "old ACL repair" } },
            daysPerWeek = 4,
            sessionMinutes = 60,
            units = "imperial",
            screening = new Dictionary<string, bool> { ["heartCondition"] = false },
        });
        Assert.AreEqual(HttpStatusCode.OK, profile.StatusCode, await profile.Content.ReadAsStringAsync());
        var stored = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, "/api/me", session.AccessToken)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("profile");
        Assert.AreEqual("intermediate", stored.GetProperty("fitnessLevel").GetString());
        Assert.AreEqual(4, stored.GetProperty("daysPerWeek").GetInt32());
        Assert.AreEqual("knee", stored.GetProperty("injuries")[0].GetProperty("area").GetString());

        var refreshed = await Host.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken });
        Assert.AreEqual(HttpStatusCode.OK, refreshed.StatusCode);
        var second = (await refreshed.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.AreNotEqual(session.RefreshToken, second.RefreshToken);
        Assert.AreEqual(HttpStatusCode.OK, (await Host.SendAsync(HttpMethod.Get, "/api/me", second.AccessToken)).StatusCode);

        var replay = await Host.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken });
        Assert.AreEqual(HttpStatusCode.Unauthorized, replay.StatusCode);
        var afterReuse = await Host.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = second.RefreshToken });
        Assert.AreEqual(HttpStatusCode.Unauthorized, afterReuse.StatusCode, "reuse of a spent token must revoke the whole family");

        var third = (await (await Host.Client.PostAsJsonAsync("/api/auth/login", new { email, password = registered.Password })).Content.ReadFromJsonAsync<AuthResponse>())!;
        var logout = await Host.Client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = third.RefreshToken });
        Assert.AreEqual(HttpStatusCode.NoContent, logout.StatusCode);
        var afterLogout = await Host.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = third.RefreshToken });
        Assert.AreEqual(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [TestMethod]
    public async Task Register_Conflict_WhenEmailExistsInAnyCase()
    {
        var email = $"dup-{Guid.NewGuid():N}@example.com";
        await Host.RegisterAsync(email);

        var again = await Host.Client.PostAsJsonAsync("/api/auth/register",
            new { email = email.ToUpperInvariant(), password = "another fine passphrase", birthYear = 1985 });

        Assert.AreEqual(HttpStatusCode.Conflict, again.StatusCode);
        Assert.AreEqual("email_taken", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task Login_Unauthorized_WithOneGenericMessage()
    {
        var user = await Host.RegisterAsync();

        var wrongPassword = await Host.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "not the password at all" });
        var unknownEmail = await Host.Client.PostAsJsonAsync("/api/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "whatever password 1" });

        Assert.AreEqual(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        var a = JsonDocument.Parse(await wrongPassword.Content.ReadAsStringAsync()).RootElement;
        var b = JsonDocument.Parse(await unknownEmail.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.AreEqual("invalid_credentials", a.GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task Register_AgeRules_RefuseUnder16AndMarkMinors()
    {
        var year = DateTime.UtcNow.Year;

        var child = await Host.Client.PostAsJsonAsync("/api/auth/register",
            new { email = $"kid-{Guid.NewGuid():N}@example.com", password = "a perfectly fine phrase", birthYear = year - 14 });
        var teen = await Host.RegisterAsync(birthYear: year - 17);
        var me = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, "/api/me", teen.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.BadRequest, child.StatusCode);
        StringAssert.Contains(await child.Content.ReadAsStringAsync(), "birthYear");
        Assert.IsTrue(me.GetProperty("isMinor").GetBoolean());
    }

    [TestMethod]
    [DataRow("short1")]
    [DataRow("password123")]
    [DataRow("1234567890")]
    [DataRow("aaaaaaaaaaaa")]
    public async Task Register_BadRequest_ForWeakPasswords(string password)
    {
        var response = await Host.Client.PostAsJsonAsync("/api/auth/register",
            new { email = $"weak-{Guid.NewGuid():N}@example.com", password, birthYear = 1990 });

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.IsTrue(errors.TryGetProperty("password", out _));
    }

    [TestMethod]
    public async Task Refresh_ConcurrentUseOfOneToken_AtMostOneSucceeds()
    {
        var user = await Host.RegisterAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Host.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })));

        Assert.IsLessThanOrEqualTo(1, attempts.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.IsTrue(attempts.All(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized));
    }

    [TestMethod]
    public async Task Profile_MassAssignment_TierRoleAndEmailAreIgnored()
    {
        var user = await Host.RegisterAsync();

        var response = await Host.SendAsync(HttpMethod.Put, "/api/me/profile", user.AccessToken,
            new { fitnessLevel = "beginner", tier = "unlimited", role = "admin", email = "hijack@example.com" });
        var me = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, "/api/me", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("free", me.GetProperty("tier").GetString());
        Assert.AreEqual("user", me.GetProperty("role").GetString());
        Assert.AreEqual(user.Email, me.GetProperty("email").GetString());
    }
}
