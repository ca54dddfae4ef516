namespace Vigor.Tests.Llm;

/// <summary>
/// What <see cref="FakeLlmServer"/> does instead of answering normally. Body faults have a streamed form
/// (<see cref="FakeLlmStreams"/>): <see cref="StallMidBody"/> stalls after a few events, <see cref="TruncatedBody"/>
/// drops the connection mid-stream, <see cref="MalformedJson"/> and <see cref="WrongShape"/> break one event,
/// <see cref="NoUsage"/> leaves the usage out, the oversized ones send text events past the cap.
/// </summary>
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

    /// <summary>A stream that ends cleanly without <c>data: [DONE]</c> / <c>message_stop</c> (a non-streamed reply is unaffected).</summary>
    NoTerminalEvent,

    /// <summary>A stream that sends a vendor error event after a few text pieces; a non-streamed reply gets a 200 error body.</summary>
    ErrorEvent,

    /// <summary>The reply a few bytes at a time, each gap well under the stall timeout, the whole far past the total timeout.</summary>
    SlowDrip,
}
