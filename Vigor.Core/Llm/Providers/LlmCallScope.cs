namespace Vigor.Core.Llm.Providers;

/// <summary>
/// The limits of one attempt, as the guarded transport applies them. <see cref="FirstTokenTimeout"/> bounds a streamed
/// attempt's wait for its response and first byte; null leaves only the total timeout.
/// </summary>
internal sealed record TransportLimits(TimeSpan Timeout, TimeSpan StallTimeout, long MaxResponseBytes, TimeSpan? FirstTokenTimeout = null)
{
    /// <summary>For a request that somehow reaches the LLM HttpClient outside a provider call.</summary>
    public static readonly TransportLimits Default = new(TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(30), ProviderConfig.DefaultMaxResponseBytes);

    public static TransportLimits From(ProviderConfig config) => new(config.Timeout, config.StallTimeout, config.MaxResponseBytes, config.FirstTokenTimeout);
}

/// <summary>
/// Ambient state of one provider attempt, shared between the provider and <see cref="GuardedHttpHandler"/>. The SDKs build
/// the HttpRequestMessage themselves, so per-call limits cannot ride on it; the scope flows with the async call instead.
/// The handler writes back what it saw (status, Retry-After, the vendor's error code, a classified failure) because the
/// SDKs wrap or drop transport exceptions and headers differently: the provider classifies from this, not from SDK types.
/// </summary>
internal sealed class LlmCallScope : IDisposable
{
    private static readonly AsyncLocal<LlmCallScope?> Ambient = new();

    private readonly LlmCallScope? previous;
    private LlmProviderException? failure;

    private LlmCallScope(TransportLimits limits, CancellationToken deadline, bool streaming)
    {
        Limits = limits;
        Deadline = deadline;
        Streaming = streaming;
        previous = Ambient.Value;
        Ambient.Value = this;
    }

    public static LlmCallScope? Current => Ambient.Value;

    public TransportLimits Limits { get; }

    /// <summary>Cancelled when the attempt's total timeout is up.</summary>
    public CancellationToken Deadline { get; }

    /// <summary>The provider asked for an SSE stream: a 2xx must be <c>text/event-stream</c> and is guarded event by event (<see cref="SseGuardStream"/>).</summary>
    public bool Streaming { get; }

    public int? StatusCode { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>The vendor's <c>error.type</c> / <c>error.code</c> of a failed response (never its message).</summary>
    public string? VendorErrorCode { get; set; }

    /// <summary>True once a 2xx body arrived whole and parsed as a JSON object, or a 2xx event stream began.</summary>
    public bool ReplyReceived { get; set; }

    public LlmProviderException? Failure => Volatile.Read(ref failure);

    public static LlmCallScope Begin(TransportLimits limits, CancellationToken deadline, bool streaming = false) => new(limits, deadline, streaming);

    /// <summary>Records the first failure the transport classified and returns it for throwing.</summary>
    public LlmProviderException Fail(LlmProviderException exception)
    {
        Interlocked.CompareExchange(ref failure, exception, null);
        return exception;
    }

    public void Dispose() => Ambient.Value = previous;
}
