using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigor.Functions.Infrastructure;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

/// <summary>Bad input on every route that takes a body: 400/413/415 ProblemDetails, never a 500, nothing stored.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static TestHost Host => SharedHost.Host;

    private static Session user = null!;
    private static Session admin = null!;

    [ClassInitialize]
    public static async Task RegisterAsync(TestContext context)
    {
        _ = context;
        user = await Host.RegisterAsync();
        admin = await Host.LoginAdminAsync();
    }

    public static IEnumerable<object[]> BodyRoutes()
        => FunctionCatalog.Http.Where(f => f.Doc?.Request is not null)
            .SelectMany(f => f.Methods.Select(m => new object[] { f.Name, m, "/" + f.Route }));

    // Admin routes answer 403 to a user before reading the body, so they get the admin's token (AdminAccessTests covers the 403).
    private static Task<HttpResponseMessage> Send(string method, string path, HttpContent content)
        => Host.Client.SendAsync(TestHost.Request(new HttpMethod(method), path,
            path.StartsWith("/api/admin/", StringComparison.Ordinal) ? admin.AccessToken : user.AccessToken, content));

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(expected, response.StatusCode, body);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.IsTrue(json.TryGetProperty("code", out _));
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("System.", body);
    }

    [TestMethod]
    [DynamicData(nameof(BodyRoutes))]
    public async Task MalformedJson_BadRequest(string function, string method, string path)
    {
        _ = function;
        await AssertProblem(await Send(method, path, new StringContent("{\"email\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [TestMethod]
    [DynamicData(nameof(BodyRoutes))]
    public async Task WrongContentType_UnsupportedMediaType(string function, string method, string path)
    {
        _ = function;
        await AssertProblem(await Send(method, path, new StringContent("email=a@b.c", Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType);
    }

    [TestMethod]
    [DynamicData(nameof(BodyRoutes))]
    public async Task OversizedBody_PayloadTooLarge(string function, string method, string path)
    {
        _ = function;
        // Larger than the largest route limit (workout logs take 256 KiB).
        var huge = "{\"displayName\":\"" + new string('x', Vigor.Functions.Workouts.WorkoutLogsApi.MaxBodyBytes + 1024) + "\"}";

        await AssertProblem(await Send(method, path, new StringContent(huge, Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge);
    }

    [TestMethod]
    [DynamicData(nameof(BodyRoutes))]
    public async Task WrongTypesAndNullBody_BadRequest(string function, string method, string path)
    {
        _ = function;
        await AssertProblem(await Send(method, path, new StringContent("null", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await AssertProblem(await Send(method, path, new StringContent("[1,2]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await AssertProblem(await Send(method, path, new StringContent("", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [TestMethod]
    [DataRow("{\"daysPerWeek\": 0}", "daysPerWeek")]
    [DataRow("{\"daysPerWeek\": 8}", "daysPerWeek")]
    [DataRow("{\"sessionMinutes\": 500}", "sessionMinutes")]
    [DataRow("{\"sessionMinutes\": \"long\"}", "sessionMinutes")]
    [DataRow("{\"fitnessLevel\": \"godlike\"}", "fitnessLevel")]
    [DataRow("{\"goals\": [\"bulk\"]}", "goals[0]")]
    [DataRow("{\"equipment\": [\"spaceship\"]}", "equipment[0]")]
    [DataRow("{\"injuries\": [{\"area\": \"tail\"}]}", "injuries[0].area")]
    [DataRow("{\"screening\": {\"favouriteColour\": true}}", "screening.favouriteColour")]
    [DataRow("{\"units\": \"furlongs\"}", "units")]
    public async Task ProfileOutOfRange_BadRequestNamingTheField(string body, string field)
    {
        var response = await Send("PUT", "/api/me/profile", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.IsTrue(errors.TryGetProperty(field, out _), $"errors should name {field}: {errors}");
    }

    [TestMethod]
    [DataRow("{\"email\":\"not-an-email\",\"password\":\"good long passphrase\",\"birthYear\":1990}", "email")]
    [DataRow("{\"email\":\"a@example.com\",\"password\":\"good long passphrase\",\"birthYear\":1200}", "birthYear")]
    [DataRow("{\"email\":\"a@example.com\",\"password\":\"good long passphrase\"}", "birthYear")]
    [DataRow("{\"email\":\"a@example.com\",\"password\":\"good long passphrase\",\"birthYear\":1990,\"displayName\":\"x\\u0000y\"}", "displayName")]
    public async Task RegisterOutOfRange_BadRequestNamingTheField(string body, string field)
    {
        var response = await Host.Client.PostAsync("/api/auth/register", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.IsTrue(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [TestMethod]
    public async Task RejectedProfileUpdate_LosesNothing()
    {
        var fresh = await Host.RegisterAsync();
        await Host.SendAsync(HttpMethod.Put, "/api/me/profile", fresh.AccessToken, new { fitnessLevel = "advanced", daysPerWeek = 5 });

        await Host.SendAsync(HttpMethod.Put, "/api/me/profile", fresh.AccessToken, new { fitnessLevel = "beginner", daysPerWeek = 99 });
        var me = await (await Host.SendAsync(HttpMethod.Get, "/api/me", fresh.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual("advanced", me.GetProperty("profile").GetProperty("fitnessLevel").GetString());
        Assert.AreEqual(5, me.GetProperty("profile").GetProperty("daysPerWeek").GetInt32());
    }

    [TestMethod]
    public async Task GarbageOnEveryRoute_NeverServerError()
    {
        var bodies = new[] { "{}", "{\"a\":1}", "\"text\"", "123", "{\"email\":12,\"password\":[],\"birthYear\":\"x\",\"refreshToken\":{}}", "{\"fitnessLevel\":null,\"goals\":[null],\"injuries\":[null,{}]}" };
        foreach (var function in FunctionCatalog.Http)
        {
            foreach (var method in function.Methods)
            {
                foreach (var body in bodies)
                {
                    var path = "/" + function.Route.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
                    var response = await Send(method, path, new StringContent(body, Encoding.UTF8, "application/json"));
                    Assert.IsLessThan(500, (int)response.StatusCode, $"{method} {path} with {body}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
    }
}
