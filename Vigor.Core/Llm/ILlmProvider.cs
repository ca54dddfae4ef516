namespace Vigor.Core.Llm;

/// <summary>
/// One vendor API. Implementations make exactly one HTTP attempt (no SDK-internal retries; <see cref="ProviderCaller"/>
/// decides about retries) and throw <see cref="LlmProviderException"/> for every failure.
/// </summary>
internal interface ILlmProvider
{
    /// <summary>The <see cref="ProviderConfig.Kind"/> this provider serves (<see cref="ProviderKinds"/>).</summary>
    string Kind { get; }

    Task<LlmResponse> CompleteAsync(ProviderConfig config, string? apiKey, LlmRequest request, CancellationToken ct);
}
