namespace Vigor.Core.Llm;

/// <summary>
/// One vendor API. Implementations make exactly one HTTP attempt (no SDK-internal retries; <see cref="ProviderCaller"/>
/// decides about retries) and throw <see cref="LlmProviderException"/> for every failure.
/// </summary>
internal interface ILlmProvider
{
    /// <summary>The <see cref="ProviderConfig.Kind"/> this provider serves (<see cref="ProviderKinds"/>).</summary>
    string Kind { get; }

    /// <summary>One JSON body: the vendor's non-streaming API.</summary>
    Task<LlmResponse> CompleteAsync(ProviderConfig config, string? apiKey, LlmRequest request, CancellationToken ct);

    /// <summary>
    /// The vendor's SSE streaming API: <paramref name="onDelta"/> gets each piece of text as it arrives, and the result is
    /// the whole reply with the usage from the vendor's final events, returned only once the stream's terminal event
    /// (<c>[DONE]</c>, <c>message_stop</c>) arrived. A stall between events, no first byte within
    /// <see cref="ProviderConfig.FirstTokenTimeout"/>, an error event, a dropped connection or a missing terminal event
    /// fail the attempt like a broken body does.
    /// </summary>
    Task<LlmResponse> StreamAsync(ProviderConfig config, string? apiKey, LlmRequest request, Action<string>? onDelta, CancellationToken ct);
}
