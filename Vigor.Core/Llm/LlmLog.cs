using Microsoft.Extensions.Logging;

namespace Vigor.Core.Llm;

/// <summary>Provider attempt events. Never prompts, replies or keys: ids, kinds, statuses and timings only.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(1, LogLevel.Warning, "LLM attempt {Attempt} on {ProviderName} ({ProviderId}) failed: {Failure}, status {StatusCode}, {LatencyMs} ms")]
    public static partial void AttemptFailed(ILogger logger, int attempt, string providerName, Guid providerId, LlmFailure failure, int? statusCode, double latencyMs);

    [LoggerMessage(2, LogLevel.Information, "Retrying {ProviderName} ({ProviderId}) in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string providerName, Guid providerId, long delayMs);

    [LoggerMessage(3, LogLevel.Warning, "{ProviderName} ({ProviderId}) asked to wait {RetryAfterMs} ms, over the {MaxMs} ms we wait; giving up on it for this call")]
    public static partial void RetryAfterTooLong(ILogger logger, string providerName, Guid providerId, long retryAfterMs, long maxMs);
}
