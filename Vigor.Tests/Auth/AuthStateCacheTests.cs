using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Caching;
using Vigor.Tests.Support;

namespace Vigor.Tests.Auth;

/// <summary>
/// The users' state cache of authentication, end to end: a change this instance makes applies on the next request, a
/// change made anywhere else (another instance, SQL) as soon as PostgreSQL delivers its notification, and while the
/// listener is down nothing is cached at all. The cache's own rules: ExactUserCacheTests.
/// </summary>
[TestClass]
public sealed class AuthStateCacheTests
{
    private static TestHost Host => SharedHost.Host;

    private static AuthStateCache Cache => Host.Services.GetRequiredService<AuthStateCache>();

    [TestMethod]
    public async Task SuspensionBySql_OfACachedUser_StopsTheirToken()
    {
        var session = await Host.RegisterAsync();
        await CachedAfterRequestAsync(session, "/api/me", HttpStatusCode.OK);

        await SqlAsync("UPDATE users SET status = 'suspended' WHERE id = @id", session.UserId);

        await Eventually.WaitForAsync(async () => (await Host.SendAsync(HttpMethod.Get, "/api/me", session.AccessToken)).StatusCode == HttpStatusCode.Unauthorized,
            "the token stops working once the notification arrives");
        if (Cache.TryGet(session.UserId, out var state))
            Assert.AreEqual(("user", "suspended"), state, "what is cached now is the new state");
    }

    [TestMethod]
    public async Task RoleChangeBySql_OfACachedUser_Applies()
    {
        var session = await Host.RegisterAsync();
        await CachedAfterRequestAsync(session, "/api/admin/users", HttpStatusCode.Forbidden);

        await SqlAsync("UPDATE users SET role = 'admin' WHERE id = @id", session.UserId);

        await Eventually.WaitForAsync(async () => (await Host.SendAsync(HttpMethod.Get, "/api/admin/users", session.AccessToken)).StatusCode == HttpStatusCode.OK,
            "the new role applies once the notification arrives");
    }

    [TestMethod]
    public async Task DeletionBySql_OfACachedUser_StopsTheirToken()
    {
        var session = await Host.RegisterAsync();
        await CachedAfterRequestAsync(session, "/api/me", HttpStatusCode.OK);

        await SqlAsync("DELETE FROM users WHERE id = @id", session.UserId);

        await Eventually.WaitForAsync(async () => (await Host.SendAsync(HttpMethod.Get, "/api/me", session.AccessToken)).StatusCode == HttpStatusCode.Unauthorized,
            "the token stops working once the notification arrives");
    }

    [TestMethod]
    public async Task ListenerConnectionLost_NothingIsCachedUntilItIsBack()
    {
        var session = await Host.RegisterAsync();
        await CachedAfterRequestAsync(session, "/api/me", HttpStatusCode.OK);

        // Kill the listener's connection, then change the user while nobody listens: the notification is lost for good.
        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
        {
            await conn.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()",
                new { name = ChangeListener.ApplicationName });
        }
        await Eventually.WaitForAsync(() => !Cache.Listening, "the listener notices its connection is gone");
        await SqlAsync("UPDATE users SET status = 'suspended' WHERE id = @id", session.UserId);

        // The cache was emptied when the connection broke, and a reconnect empties it again: the change is seen at once.
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Host.SendAsync(HttpMethod.Get, "/api/me", session.AccessToken)).StatusCode);

        await Eventually.WaitForAsync(() => Cache.Listening, "the listener reconnects");
        var other = await Host.RegisterAsync();
        var state = await CachedAfterRequestAsync(other, "/api/me", HttpStatusCode.OK, "caching resumes with the new LISTEN");
        Assert.AreEqual(("user", "active"), state);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Host.SendAsync(HttpMethod.Get, "/api/me", session.AccessToken)).StatusCode);
    }

    /// <summary>
    /// Sends the request until the user's state is cached. The notification of the user's own registration may reach
    /// the listener just after the first request stored the state, and rightly drops it; tests of other classes run
    /// alongside and may empty the cache meanwhile (the listener reconnecting).
    /// </summary>
    private static async Task<(string Role, string Status)> CachedAfterRequestAsync(Session session, string path, HttpStatusCode expected,
        string what = "the user's state is cached after a request")
    {
        var state = default((string Role, string Status));
        await Eventually.WaitForAsync(async () =>
        {
            Assert.AreEqual(expected, (await Host.SendAsync(HttpMethod.Get, path, session.AccessToken)).StatusCode);
            return Cache.TryGet(session.UserId, out state);
        }, what);
        return state;
    }

    private static async Task SqlAsync(string sql, Guid id)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.ExecuteAsync(sql, new { id });
    }
}
