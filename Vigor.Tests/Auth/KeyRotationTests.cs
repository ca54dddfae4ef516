using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Tests.Support;

namespace Vigor.Tests.Auth;

[TestClass]
public sealed class KeyRotationTests
{
    [TestMethod]
    public async Task Rotation_OldKidValidatesUntilRetired_NewKidSigns()
    {
        await using var host = await TestHost.StartAsync("rotation");
        var before = await host.RegisterAsync();
        var secrets = host.Services.GetRequiredService<ISecretStore>();

        await secrets.SetAsync(SecretNames.JwtSigningKeys, host.Keys.SecretJson("k2", "k2", "k1"), CancellationToken.None);
        var after = await host.RegisterAsync();
        var oldStillWorks = await host.SendAsync(HttpMethod.Get, "/api/me", before.AccessToken);
        var newWorks = await host.SendAsync(HttpMethod.Get, "/api/me", after.AccessToken);

        await secrets.SetAsync(SecretNames.JwtSigningKeys, host.Keys.SecretJson("k2", "k2"), CancellationToken.None);
        var oldRetired = await host.SendAsync(HttpMethod.Get, "/api/me", before.AccessToken);
        var newStillWorks = await host.SendAsync(HttpMethod.Get, "/api/me", after.AccessToken);

        Assert.AreEqual("k2", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(after.AccessToken).Kid);
        Assert.AreEqual(HttpStatusCode.OK, oldStillWorks.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, newWorks.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, oldRetired.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, newStillWorks.StatusCode);
    }
}
