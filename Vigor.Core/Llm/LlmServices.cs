using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigor.Core.Llm.Providers;

namespace Vigor.Core.Llm;

public static class LlmServices
{
    /// <summary>
    /// The LLM provider layer: the guarded <c>vigor-llm</c> HttpClient, the OpenAI / OpenAI-compatible / Azure OpenAI /
    /// Anthropic providers, <see cref="LlmProviderRegistry"/> and <see cref="ProviderCaller"/>.
    /// </summary>
    public static IServiceCollection AddVigorLlmProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LlmRetryOptions>().BindConfiguration(LlmRetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddTransient<GuardedHttpHandler>();
        services.AddHttpClient(LlmHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Recycled connections pick up DNS changes even though the SDK clients keep one HttpClient for good.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
                // A vendor API never redirects; following one could lead a key anywhere (OWASP API7).
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .AddHttpMessageHandler<GuardedHttpHandler>();

        services.AddSingleton<LlmAzureCredential>();
        services.AddSingleton<ILlmProvider>(sp => ActivatorUtilities.CreateInstance<OpenAiProvider>(sp, ProviderKinds.OpenAi));
        services.AddSingleton<ILlmProvider>(sp => ActivatorUtilities.CreateInstance<OpenAiProvider>(sp, ProviderKinds.OpenAiCompatible));
        services.AddSingleton<ILlmProvider, AzureOpenAiProvider>();
        services.AddSingleton<ILlmProvider, AnthropicProvider>();
        services.AddSingleton<LlmProviderRegistry>();
        services.AddSingleton<ProviderCaller>();
        return services;
    }
}
