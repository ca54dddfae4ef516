namespace Vigor.Core.Llm;

/// <summary>Why a provider attempt failed. <see cref="LlmProviderException.IsTransient"/> says which are worth retrying.</summary>
internal enum LlmFailure
{
    /// <summary>The attempt ran past its total timeout (slow first byte, slow body) or the vendor answered 408.</summary>
    Timeout,

    /// <summary>The body stopped arriving mid-way for longer than the stall timeout.</summary>
    Stalled,

    /// <summary>429.</summary>
    RateLimited,

    /// <summary>5xx (including Anthropic's 529 overloaded), or the vendor could not be reached at all.</summary>
    ServerError,

    /// <summary>A 2xx whose body is an error object.</summary>
    ErrorBody,

    /// <summary>Unparseable JSON, the wrong shape, no usage, or (JSON requested) a reply that is not JSON.</summary>
    Malformed,

    /// <summary>The body ended early (short of Content-Length, connection closed), or JSON was requested and the reply hit the token limit.</summary>
    Truncated,

    /// <summary>The body is larger than <see cref="ProviderConfig.MaxResponseBytes"/>.</summary>
    Oversized,

    /// <summary>401, 402 or 403, a missing key, or a managed identity that could not get a token.</summary>
    Unauthorized,

    /// <summary>Another 4xx, or a request or configuration the provider cannot send.</summary>
    BadRequest,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}
