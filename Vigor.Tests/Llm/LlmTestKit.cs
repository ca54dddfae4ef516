using Azure.Core;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;
using Vigor.Core.Llm.Providers;

namespace Vigor.Tests.Llm;

/// <summary>The provider layer as the app registers it (<see cref="LlmServices.AddVigorLlmProviders"/>), aimed at a <see cref="FakeLlmServer"/>.</summary>
internal static class LlmTestKit
{
    public static ServiceProvider Services(IDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging();
        services.AddVigorLlmProviders();
        services.AddSingleton(new LlmAzureCredential(() => new FakeTokenCredential()));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ILlmProvider Provider(this ServiceProvider services, string kind) => services.GetRequiredService<LlmProviderRegistry>().Get(kind);

    /// <summary>A provider config for <paramref name="kind"/> pointed at the fake, with short test timeouts (3 s total, 2 s to the first byte of a stream, 0.4 s stall).</summary>
    public static ProviderConfig Config(FakeLlmServer server, string kind) => new()
    {
        Id = Guid.NewGuid(),
        Name = $"test-{kind}",
        Kind = kind,
        Endpoint = kind switch
        {
            ProviderKinds.OpenAi => new Uri(server.BaseUri, "v1"),
            // A Gemini-style base path with the trailing slash people paste.
            ProviderKinds.OpenAiCompatible => new Uri(server.BaseUri, "v1beta/openai/"),
            _ => server.BaseUri,
        },
        Model = kind switch
        {
            ProviderKinds.OpenAi => "gpt-4o-mini",
            ProviderKinds.OpenAiCompatible => "gemini-2.0-flash",
            ProviderKinds.AzureOpenAi => "vigor-gpt4o",
            _ => "claude-sonnet-4-5",
        },
        Timeout = TimeSpan.FromSeconds(3),
        StallTimeout = TimeSpan.FromMilliseconds(400),
        FirstTokenTimeout = TimeSpan.FromSeconds(2),
        InputPricePerMillion = 2.50m,
        OutputPricePerMillion = 10.00m,
    };

    /// <summary>Adds an <c>openai</c> provider pointed at <paramref name="fake"/> to a running host's database, with its key in the host's secret store.</summary>
    public static async Task<Guid> AddOpenAiProviderAsync(
        TestHost host, FakeLlmServer fake, string name, decimal inPrice, decimal outPrice, int timeoutSeconds)
    {
        var id = Guid.NewGuid();
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.ExecuteAsync("""
                INSERT INTO llm_providers (id, name, kind, endpoint, model, priority, input_price_per_million, output_price_per_million, timeout_seconds, has_secret)
                VALUES (@id, @name, 'openai', @endpoint, 'gpt-4o-mini', 10, @inPrice, @outPrice, @timeoutSeconds, true)
                """, new { id, name, endpoint = new Uri(fake.BaseUri, "v1").ToString(), inPrice, outPrice, timeoutSeconds });
        }
        await host.Services.GetRequiredService<ISecretStore>().SetAsync("llm-provider-" + id.ToString("N"), FakeLlmServer.ApiKey, CancellationToken.None);
        return id;
    }

    public static LlmRequest Request(bool json = false) => new(
        [
            new LlmMessage(LlmRoles.System, "You are a strength coach."),
            new LlmMessage(LlmRoles.User, "Give me a leg exercise."),
        ],
        MaxOutputTokens: 256, Temperature: 0.3, JsonOutput: json);

    private sealed class FakeTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(FakeLlmServer.AzureToken, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
