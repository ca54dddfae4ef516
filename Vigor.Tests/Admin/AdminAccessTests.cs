using System.Net;
using System.Text.Json;
using Vigor.Functions.Infrastructure;
using Vigor.Tests.Support;

namespace Vigor.Tests.Admin;

[TestClass]
public sealed class AdminAccessTests
{
    private static TestHost Host => SharedHost.Host;

    public static IEnumerable<object[]> AdminRoutes()
        => FunctionCatalog.Http.Where(f => f.Route.StartsWith("api/admin/", StringComparison.Ordinal))
            .SelectMany(f => f.Methods.Select(m => new object[] { m, "/" + f.Route.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal) }));

    [TestMethod]
    [DynamicData(nameof(AdminRoutes))]
    public async Task AdminRoutes_ForbiddenForUsers_UnauthorizedAnonymously(string method, string path)
    {
        var user = await Host.RegisterAsync();

        var asUser = await Host.SendAsync(new HttpMethod(method), path, user.AccessToken);
        var anonymous = await Host.SendAsync(new HttpMethod(method), path, null);

        Assert.AreEqual(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [TestMethod]
    public async Task FindUsers_SeededAdmin_FindsAndPages()
    {
        var admin = await Host.LoginAdminAsync();
        var marker = Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 3; i++)
            await Host.RegisterAsync($"{marker}-{i}@example.com");

        var first = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, $"/api/admin/users?q={marker}&limit=2", admin.AccessToken)).Content.ReadAsStringAsync()).RootElement;
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, $"/api/admin/users?q={marker}&limit=2&cursor={cursor}", admin.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(2, first.GetProperty("items").GetArrayLength());
        Assert.AreEqual(1, second.GetProperty("items").GetArrayLength());
        Assert.IsFalse(second.TryGetProperty("nextCursor", out _));
        Assert.AreEqual("admin", JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, "/api/me", admin.AccessToken)).Content.ReadAsStringAsync()).RootElement.GetProperty("role").GetString());
    }

    [TestMethod]
    [DataRow("limit=0", "limit")]
    [DataRow("limit=101", "limit")]
    [DataRow("limit=abc", "limit")]
    [DataRow("cursor=!!!", "cursor")]
    public async Task FindUsers_BadPaging_BadRequest(string query, string field)
    {
        var admin = await Host.LoginAdminAsync();

        var response = await Host.SendAsync(HttpMethod.Get, "/api/admin/users?" + query, admin.AccessToken);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsTrue(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }
}
