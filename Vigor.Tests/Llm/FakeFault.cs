namespace Vigor.Tests.Llm;

/// <summary>What <see cref="FakeLlmServer"/> does instead of answering normally.</summary>
internal enum FakeFault
{
    None,
    RateLimited,
    ServerError,
    Unavailable,
    ErrorBody,
    MalformedJson,
    WrongShape,
    NoUsage,
    TruncatedBody,
    OversizedDeclared,
    OversizedChunked,
    StallMidBody,
    SlowFirstByte,
    BadRequest,
    HitTokenLimit,
    NotJsonReply,
}
