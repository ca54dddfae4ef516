namespace Vigor.Core.Llm;

/// <summary>
/// A failed provider attempt, classified. Messages never carry prompts, replies or keys: only the kind, the status
/// and the vendor's error type or code.
/// </summary>
internal sealed class LlmProviderException(LlmFailure kind, int? statusCode, TimeSpan? retryAfter, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public LlmFailure Kind { get; } = kind;

    public int? StatusCode { get; } = statusCode;

    /// <summary>How long the vendor asked us to wait (Retry-After, retry-after-ms), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Tokens the vendor reported for a reply that was then rejected; null when it reported none.</summary>
    public LlmUsage? BilledUsage { get; init; }

    /// <summary>429, 5xx, timeouts and stalls: the same provider may well answer if asked again.</summary>
    public bool IsTransient => Kind is LlmFailure.RateLimited or LlmFailure.ServerError or LlmFailure.Timeout or LlmFailure.Stalled;

    public LlmProviderException(LlmFailure kind, string message, Exception? innerException = null)
        : this(kind, null, null, message, innerException)
    {
    }
}
