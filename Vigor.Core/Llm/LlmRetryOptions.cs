using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Llm;

/// <summary>Retries of one provider inside one call (<see cref="ProviderCaller"/>); fallback across providers is the orchestrator's.</summary>
internal sealed class LlmRetryOptions
{
    public const string Section = "Llm:Retry";

    /// <summary>Retries after the first attempt, for transient failures only.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff; doubled each retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest Retry-After we wait out; a vendor asking for longer is given up on at once so the orchestrator can fall back.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
