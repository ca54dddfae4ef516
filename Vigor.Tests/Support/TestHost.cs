using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Auth;
using Vigor.LocalHost;

namespace Vigor.Tests.Support;

/// <summary>
/// A real Vigor.LocalHost on a loopback port (Kestrel), on its own PostgreSQL database and Azurite tables:
/// the end-to-end harness. Settings can be overridden per host.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string Issuer = "https://vigor.test";
    public const string Audience = "vigor-tests";
    public const string AdminEmail = "admin@vigor.test";
    public const string AdminPassword = "admin-password-for-tests-only";

    private TestHost(WebApplication app, string connectionString, TestKeys keys, bool ownsDatabase)
    {
        App = app;
        ConnectionString = connectionString;
        Keys = keys;
        this.ownsDatabase = ownsDatabase;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    private readonly bool ownsDatabase;

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public string ConnectionString { get; }

    public TestKeys Keys { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>
    /// Waits for the settle steps still running after their answers (a coach reply is sent before its ledger row, counters
    /// and stored message commit: PendingSettles), as a test that reads those rows straight from the database must.
    /// </summary>
    public Task SettledAsync() => Services.GetRequiredService<Vigor.Core.Llm.Gateway.PendingSettles>().WhenAllSettledAsync();

    /// <summary>
    /// <see cref="SettledAsync"/>, then gives back every quota lease the host holds (QuotaLeases: their unused units are
    /// counted in the request counters until then), as a test that reads the counters straight from the database must.
    /// </summary>
    public async Task CountersSettledAsync()
    {
        var leases = Services.GetRequiredService<Vigor.Core.Llm.Gateway.QuotaLeases>();
        foreach (var userId in leases.UserIds)
            await leases.WhenTakenAsync(userId);
        await SettledAsync();
        await leases.ReturnAllAsync();
    }

    public static async Task<TestHost> StartAsync(string purpose, IDictionary<string, string?>? overrides = null, string? connectionString = null)
    {
        var owns = connectionString is null;
        connectionString ??= await TestEnvironment.CreateDatabaseAsync(purpose);
        var keys = new TestKeys("k1", "k2");
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Database:ConnectionString"] = connectionString,
            ["Storage:ConnectionString"] = TestEnvironment.Storage,
            ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["Secrets:Provider"] = "Configuration",
            ["Secrets:jwt-signing-keys"] = keys.SecretJson("k1", "k1"),
            ["Secrets:admin-password"] = AdminPassword,
            ["Admin:Email"] = AdminEmail,
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Audience,
            ["Auth:Throttle:PerClientPerMinute"] = "100000",
            ["Auth:Throttle:AccountFailures"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Timers:PurgeRefreshTokensSchedule"] = "0 0 3 * * *",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        var app = LocalHostApp.Build([], config => config.AddInMemoryCollection(settings));
        await app.StartAsync();
        return new TestHost(app, connectionString, keys, owns);
    }

    public async Task<Session> RegisterAsync(string? email = null, string password = "correct horse battery staple 9", int birthYear = 1990)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var response = await Client.PostAsJsonAsync("/api/auth/register", new { email, password, displayName = "Test User", birthYear });
        Assert.AreEqual(System.Net.HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<AuthResponse>())!;
        return new Session(body.User.Id, email, password, body.AccessToken, body.RefreshToken);
    }

    public async Task<Session> LoginAdminAsync()
    {
        var response = await Client.PostAsJsonAsync("/api/auth/login", new { email = AdminEmail, password = AdminPassword });
        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<AuthResponse>())!;
        return new Session(body.User.Id, AdminEmail, AdminPassword, body.AccessToken, body.RefreshToken);
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? json = null)
        => Client.SendAsync(Request(method, path, token, json is null ? null : JsonContent.Create(json)));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (ownsDatabase)
            await TestEnvironment.DropDatabaseAsync(ConnectionString);
    }
}

internal sealed record Session(Guid UserId, string Email, string Password, string AccessToken, string RefreshToken);
