using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using OpenAI.Chat;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// Azure OpenAI through <see cref="AzureOpenAIClient"/>: <c>api-key</c> auth, or a managed identity token
/// (<see cref="LlmAzureCredential"/>) when <see cref="ProviderConfig.UseManagedIdentity"/> is set.
/// <see cref="ProviderConfig.Model"/> is the deployment name.
/// </summary>
internal sealed class AzureOpenAiProvider(IHttpClientFactory httpClients, TimeProvider time, LlmAzureCredential azureCredential) : ILlmProvider
{
    private readonly ProviderClientCache<ChatClient> clients = new();

    public string Kind => ProviderKinds.AzureOpenAi;

    public async Task<LlmResponse> CompleteAsync(ProviderConfig config, string? apiKey, LlmRequest request, CancellationToken ct)
    {
        var prepared = OpenAiChat.Prepare(request);
        return await GuardedCall.RunAsync(config, time, token => OpenAiChat.SendAsync(Client(config, apiKey), config, prepared, request.JsonOutput, token), ct);
    }

    public async Task<LlmResponse> StreamAsync(ProviderConfig config, string? apiKey, LlmRequest request, Action<string>? onDelta, CancellationToken ct)
    {
        var prepared = OpenAiChat.Prepare(request);
        return await GuardedCall.RunAsync(config, time,
            token => OpenAiChat.StreamAsync(Client(config, apiKey), config, prepared, request, onDelta, token), ct, streaming: true);
    }

    private ChatClient Client(ProviderConfig config, string? apiKey)
    {
        if (config.Endpoint is null)
            throw new LlmProviderException(LlmFailure.BadRequest, $"{config.Name}: an azure-openai provider needs the resource Endpoint.");
        if (!config.UseManagedIdentity && string.IsNullOrEmpty(apiKey))
            throw new LlmProviderException(LlmFailure.Unauthorized, $"{config.Name}: no API key is configured and managed identity is off.");

        return clients.GetOrCreate(config, config.UseManagedIdentity ? null : apiKey, () =>
        {
            var (version, overrideVersion) = ServiceVersion(config.ApiVersion);
            var options = new AzureOpenAIClientOptions(version)
            {
                Transport = new HttpClientPipelineTransport(httpClients.CreateClient(LlmHttp.ClientName)),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = LlmHttp.SdkTimeout,
            };
            if (overrideVersion is not null)
                options.AddPolicy(new ApiVersionPolicy(overrideVersion), PipelinePosition.PerCall);
            var client = config.UseManagedIdentity
                ? new AzureOpenAIClient(config.Endpoint, azureCredential.Credential, options)
                : new AzureOpenAIClient(config.Endpoint, new ApiKeyCredential(apiKey!), options);
            return client.GetChatClient(config.Model);
        });
    }

    private static (AzureOpenAIClientOptions.ServiceVersion Version, string? Override) ServiceVersion(string? apiVersion) => apiVersion switch
    {
        null or "" or "2024-10-21" => (AzureOpenAIClientOptions.ServiceVersion.V2024_10_21, null),
        "2024-06-01" => (AzureOpenAIClientOptions.ServiceVersion.V2024_06_01, null),
        _ => (AzureOpenAIClientOptions.ServiceVersion.V2024_10_21, apiVersion),
    };
}
