namespace Vigor.Core.Llm;

/// <summary>
/// One HTTP attempt against one provider, as the ledger records it. <see cref="Failure"/> is null for the attempt that
/// succeeded. Tokens are the vendor's reported usage (zero when it reported none, as for most failures), or an estimate
/// when <see cref="UsageEstimated"/> (a stream without a usage report).
/// </summary>
internal sealed record LlmAttempt(
    Guid ProviderId, int Number, LlmFailure? Failure, int? StatusCode, double LatencyMs, int InputTokens, int OutputTokens, decimal Cost, TimeSpan? RetryAfter,
    bool UsageEstimated = false)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// The outcome of <see cref="ProviderCaller.CallAsync"/>: either <see cref="Response"/> or <see cref="Failure"/> (the last
/// attempt's), every attempt made, and the sum of their costs (a failed attempt costs what its reported tokens cost).
/// </summary>
internal sealed record ProviderCallResult(LlmResponse? Response, LlmProviderException? Failure, IReadOnlyList<LlmAttempt> Attempts, decimal Cost)
{
    public bool Succeeded => Response is not null;
}
