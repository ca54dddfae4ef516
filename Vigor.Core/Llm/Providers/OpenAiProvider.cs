using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// OpenAI's chat completions through the official SDK's <see cref="ChatClient"/>. The same class serves
/// <c>openai-compatible</c> servers (Gemini's and Perplexity's OpenAI endpoints, local model servers) by base URL:
/// for those the key is optional and the token limit goes out as <c>max_tokens</c>.
/// </summary>
internal sealed class OpenAiProvider(string kind, IHttpClientFactory httpClients, TimeProvider time) : ILlmProvider
{
    private static readonly Uri OpenAiEndpoint = new("https://api.openai.com/v1");

    private readonly ProviderClientCache<ChatClient> clients = new();

    public string Kind { get; } = kind is ProviderKinds.OpenAi or ProviderKinds.OpenAiCompatible
        ? kind
        : throw new ArgumentException($"OpenAiProvider serves '{ProviderKinds.OpenAi}' and '{ProviderKinds.OpenAiCompatible}', not '{kind}'.", nameof(kind));

    internal int CachedClients => clients.Count;

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
        var compatible = Kind == ProviderKinds.OpenAiCompatible;
        if (compatible && config.Endpoint is null)
            throw new LlmProviderException(LlmFailure.BadRequest, $"{config.Name}: an openai-compatible provider needs an Endpoint.");
        if (!compatible && string.IsNullOrEmpty(apiKey))
            throw new LlmProviderException(LlmFailure.Unauthorized, $"{config.Name}: no API key is configured.");

        return clients.GetOrCreate(config, apiKey, () =>
        {
            var options = new OpenAIClientOptions
            {
                Endpoint = Trimmed(config.Endpoint ?? OpenAiEndpoint),
                Transport = new HttpClientPipelineTransport(httpClients.CreateClient(LlmHttp.ClientName)),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = LlmHttp.SdkTimeout,
            };
            if (compatible)
                options.AddPolicy(MaxTokensFieldPolicy.Instance, PipelinePosition.PerCall);
            // Local servers take any bearer token; the SDK insists on one.
            return new ChatClient(config.Model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "none" : apiKey), options);
        });
    }

    // "https://host/v1/" would become "https://host/v1//chat/completions".
    private static Uri Trimmed(Uri endpoint) => new(endpoint.AbsoluteUri.TrimEnd('/'));
}
