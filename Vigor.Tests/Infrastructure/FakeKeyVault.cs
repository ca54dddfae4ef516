using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Tests.Infrastructure;

/// <summary>
/// A loopback stand-in for the Key Vault secrets REST API: no Key Vault emulator exists (platform-notes §10).
/// SecretClient refuses bearer tokens over plain http, so the fake serves https with a certificate made here,
/// and <see cref="CreateClient"/> trusts exactly that certificate.
/// </summary>
internal sealed class FakeKeyVault : IAsyncDisposable
{
    public const string Token = "fake-key-vault-token";
    private const string Tenant = "00000000-0000-0000-0000-000000000001";

    private readonly ConcurrentDictionary<string, List<(string Version, string Value)>> secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> reads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> writes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HttpMessageHandler> handlers = [];
    private readonly X509Certificate2 certificate;
    private readonly WebApplication app;
    private volatile Failure? failure;
    private long readStallTicks;

    private sealed record Failure(int Status, TimeSpan RetryAfter);

    private FakeKeyVault(X509Certificate2 certificate, WebApplication app)
    {
        this.certificate = certificate;
        this.app = app;
    }

    public Uri VaultUri { get; private set; } = null!;

    public static async Task<FakeKeyVault> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRouting();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var vault = new FakeKeyVault(certificate, app);
        app.Use(vault.ChallengeAsync);
        app.MapGet("/secrets/{name}/{version?}", vault.GetAsync);
        app.MapPut("/secrets/{name}", vault.SetAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        vault.VaultUri = new Uri(address + "/");
        return vault;
    }

    /// <summary>Seeds or rotates a secret directly, as an operator would; not counted as a request.</summary>
    public string Put(string name, string value)
    {
        var version = Guid.NewGuid().ToString("N");
        var versions = secrets.GetOrAdd(name, _ => []);
        lock (versions)
            versions.Add((version, value));
        return version;
    }

    /// <summary>From now on every authenticated request is answered with <paramref name="status"/> (429 or 503) and Retry-After.</summary>
    public void FailWith(int status, TimeSpan retryAfter) => failure = new Failure(status, retryAfter);

    public void Recover() => failure = null;

    /// <summary>GETs look the secret up at once but answer only after <paramref name="delay"/>: a slow or hung vault.</summary>
    public void StallReads(TimeSpan delay) => Interlocked.Exchange(ref readStallTicks, delay.Ticks);

    /// <summary>Authenticated GETs of the secret, including those answered with 404 or a failure status.</summary>
    public int Reads(string name) => reads.GetValueOrDefault(name);

    public int Writes(string name) => writes.GetValueOrDefault(name);

    /// <summary>A real <see cref="SecretClient"/> aimed at this fake: fake credential, this certificate only, one quick retry.</summary>
    public SecretClient CreateClient(TimeSpan? networkTimeout = null)
    {
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            cert is not null && string.Equals(cert.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.Ordinal);
        lock (handlers)
            handlers.Add(handler);
        var options = new SecretClientOptions
        {
            // The challenge names vault.azure.net, which a loopback address can never match.
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(handler),
            Retry =
            {
                MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50),
                NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(100),
            },
        };
        return new SecretClient(VaultUri, new FakeTokenCredential(), options);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        lock (handlers)
            handlers.ForEach(h => h.Dispose());
        certificate.Dispose();
    }

    private async Task ChallengeAsync(HttpContext context, RequestDelegate next)
    {
        if (!string.Equals(context.Request.Headers.Authorization, $"Bearer {Token}", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"https://vault.azure.net\"";
            return;
        }
        var current = failure;
        if (current is not null)
        {
            if (TryGetName(context.Request.Path, out var name))
                (HttpMethods.IsGet(context.Request.Method) ? reads : writes).AddOrUpdate(name, 1, (_, n) => n + 1);
            context.Response.Headers.RetryAfter = ((int)current.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Json(Error(current.Status == 429 ? "Throttled" : "ServiceUnavailable", "Simulated failure."), statusCode: current.Status)
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private async Task<IResult> GetAsync(string name, string? version, CancellationToken ct)
    {
        reads.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (!secrets.TryGetValue(name, out var versions))
            return NotFound(name);
        (string Version, string Value) secret;
        lock (versions)
            secret = versions.Count == 0 ? default : string.IsNullOrEmpty(version) ? versions[^1] : versions.Find(v => v.Version == version);
        if (Interlocked.Read(ref readStallTicks) is > 0 and var stall)
            await Task.Delay(TimeSpan.FromTicks(stall), ct);
        return secret.Version is null ? NotFound(name) : Results.Json(Bundle(name, secret.Version, secret.Value));
    }

    private async Task<IResult> SetAsync(string name, HttpRequest request)
    {
        writes.AddOrUpdate(name, 1, (_, n) => n + 1);
        var body = await JsonNode.ParseAsync(request.Body);
        if (body?["value"]?.GetValue<string>() is not { } value)
            return Results.Json(Error("BadParameter", "The request body must carry a value."), statusCode: StatusCodes.Status400BadRequest);
        var version = Put(name, value);
        return Results.Json(Bundle(name, version, value));
    }

    private JsonObject Bundle(string name, string version, string value)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["value"] = value,
            ["id"] = new Uri(VaultUri, $"secrets/{name}/{version}").ToString(),
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true, ["created"] = now, ["updated"] = now, ["recoveryLevel"] = "Recoverable+Purgeable",
            },
        };
    }

    private static IResult NotFound(string name)
        => Results.Json(Error("SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault."), statusCode: StatusCodes.Status404NotFound);

    private static JsonObject Error(string code, string message)
        => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static bool TryGetName(PathString path, out string name)
    {
        var parts = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        name = parts.Length >= 2 && parts[0] == "secrets" ? parts[1] : "";
        return name.Length > 0;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-key-vault", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private sealed class FakeTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(Token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
