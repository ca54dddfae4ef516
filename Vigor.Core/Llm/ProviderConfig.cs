namespace Vigor.Core.Llm;

/// <summary>
/// One configured provider (a row of provider config). The API key is not here: it comes from the secret store per call.
/// </summary>
internal sealed record ProviderConfig
{
    public const int DefaultMaxResponseBytes = 1024 * 1024;

    public required Guid Id { get; init; }
    public required string Name { get; init; }

    /// <summary>One of <see cref="ProviderKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Base URL: required for <c>openai-compatible</c> (e.g. <c>https://host/v1</c>) and <c>azure-openai</c>
    /// (the resource, <c>https://name.openai.azure.com/</c>); an optional override for <c>openai</c> and <c>anthropic</c>.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The model name, or the deployment name for Azure OpenAI.</summary>
    public required string Model { get; init; }

    /// <summary>Azure OpenAI <c>api-version</c>; the SDK's default (2024-10-21) when empty.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Azure OpenAI only: authenticate with <c>DefaultAzureCredential</c> (managed identity) instead of a key.</summary>
    public bool UseManagedIdentity { get; init; }

    /// <summary>Total time for one attempt: connect, first byte and the whole body.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence allowed in the middle of a response body before the attempt counts as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Streamed attempts only: longest wait from sending the request to the first byte of the event stream. A model that
    /// accepts a call and then says nothing is given up on here, long before <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan FirstTokenTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// <see cref="ProviderCaller"/> calls the vendor's SSE streaming API (stall detection event by event, a first-token
    /// bound, the terminal event required) instead of waiting for one JSON body. The caller still receives whole replies.
    /// </summary>
    public bool Streaming { get; init; } = true;

    /// <summary>Largest body, or for a stream the largest sum of its events, in bytes.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>USD per million input tokens.</summary>
    public decimal InputPricePerMillion { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public decimal OutputPricePerMillion { get; init; }
}

internal static class ProviderKinds
{
    public const string OpenAi = "openai";
    public const string AzureOpenAi = "azure-openai";
    public const string OpenAiCompatible = "openai-compatible";
    public const string Anthropic = "anthropic";

    /// <summary>The built-in offline coach (rules over the exercise catalogue); implemented by the Coach feature, not here.</summary>
    public const string Offline = "offline";
}
