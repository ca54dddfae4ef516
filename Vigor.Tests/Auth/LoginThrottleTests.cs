using System.Net;
using System.Net.Http.Json;
using Vigor.Tests.Support;

namespace Vigor.Tests.Auth;

[TestClass]
public sealed class LoginThrottleTests
{
    [TestMethod]
    public async Task Login_TooManyRequestsWithRetryAfter_PerClientAndPerAccount()
    {
        await using var host = await TestHost.StartAsync("throttle", new Dictionary<string, string?>
        {
            ["Auth:Throttle:PerClientPerMinute"] = "8",
            ["Auth:Throttle:AccountFailures"] = "3",
        });
        var victim = await host.RegisterAsync();

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            failures.Add((await host.Client.PostAsJsonAsync("/api/auth/login", new { email = victim.Email, password = "wrong password guess " + i })).StatusCode);
        var lockedEvenWithRightPassword = await host.Client.PostAsJsonAsync("/api/auth/login", new { email = victim.Email, password = victim.Password });

        var clientAttempts = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
            clientAttempts.Add(await host.Client.PostAsJsonAsync("/api/auth/login", new { email = $"other{i}@example.com", password = "some password here" }));

        CollectionAssert.AreEqual(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized }, failures);
        Assert.AreEqual(HttpStatusCode.TooManyRequests, lockedEvenWithRightPassword.StatusCode);
        Assert.IsGreaterThan(TimeSpan.FromMinutes(10), lockedEvenWithRightPassword.Headers.RetryAfter!.Delta!.Value);
        Assert.AreEqual(HttpStatusCode.TooManyRequests, clientAttempts[^1].StatusCode, "the 9th attempt from one client in a minute");
        var retry = clientAttempts[^1].Headers.RetryAfter!.Delta!.Value;
        Assert.IsTrue(retry > TimeSpan.Zero && retry <= TimeSpan.FromSeconds(60));
    }
}
