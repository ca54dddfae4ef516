using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Functions.Infrastructure;
using Vigor.LocalHost;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed class TimerTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task PurgeRefreshTokens_RunNow_DeletesOnlyExpiredTokens()
    {
        var expired = await Host.RegisterAsync();
        var live = await Host.RegisterAsync();
        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = @id", new { id = expired.UserId });

        var response = await Host.Client.PostAsync("/admin/functions/PurgeRefreshTokens", null);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await using var check = new NpgsqlConnection(Host.ConnectionString);
        Assert.AreEqual(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM refresh_tokens WHERE user_id = @id", new { id = expired.UserId }));
        Assert.AreEqual(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM refresh_token_families WHERE user_id = @id", new { id = expired.UserId }));
        Assert.AreEqual(1, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM refresh_tokens WHERE user_id = @id", new { id = live.UserId }));
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = expired.RefreshToken })).StatusCode);
    }

    [TestMethod]
    public async Task RunNow_UnknownFunction_NotFound()
        => Assert.AreEqual(HttpStatusCode.NotFound, (await Host.Client.PostAsync("/admin/functions/NoSuchTimer", null)).StatusCode);

    [TestMethod]
    public void EveryTimer_HasAScheduleThatParses()
    {
        var runner = Host.Services.GetRequiredService<TimerRunner>();

        Assert.IsNotEmpty(FunctionCatalog.Timers);
        foreach (var timer in FunctionCatalog.Timers)
            Assert.IsNotNull(runner.Schedule(timer).GetNextOccurrence(DateTime.UtcNow), timer.Name);
    }
}
