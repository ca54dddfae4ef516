namespace Vigor.Core.Llm;

/// <summary>Dollar cost of tokens at a provider's per-million prices, in decimal, rounded to 6 places (a millionth of a dollar).</summary>
internal static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    // Role/format tokens each message costs on top of its text (OpenAI's chat format adds 3–4).
    private const int TokensPerMessage = 4;

    public static decimal Cost(ProviderConfig config, int inputTokens, int outputTokens)
        => Math.Round(
            (inputTokens * config.InputPricePerMillion / PerMillion) + (outputTokens * config.OutputPricePerMillion / PerMillion),
            6, MidpointRounding.AwayFromZero);

    /// <summary>The most a call can cost: the input estimate plus every output token allowed. What a reservation holds.</summary>
    public static decimal WorstCase(ProviderConfig config, int inputTokensEstimate, int maxOutputTokens)
        => Cost(config, inputTokensEstimate, maxOutputTokens);

    public static decimal WorstCase(ProviderConfig config, LlmRequest request)
        => WorstCase(config, EstimateInputTokens(request), request.MaxOutputTokens);

    /// <summary>
    /// An upper-biased input-token estimate for reservations: one token per 4 characters, rounded up, plus
    /// a few per message. English prose runs about 4 characters per token, so this rarely undershoots for it; text in
    /// scripts with fewer characters per token (CJK, emoji) can exceed it, and settlement uses the vendor's count anyway.
    /// </summary>
    public static int EstimateInputTokens(LlmRequest request)
    {
        long characters = request.Messages.Sum(m => (long)m.Content.Length);
        var estimate = ((characters + 3) / 4) + ((long)request.Messages.Count * TokensPerMessage);
        return (int)Math.Min(estimate, int.MaxValue);
    }

    /// <summary>The same rule for a reply's text (one token per 4 characters, rounded up); used only when a stream reported no usage.</summary>
    public static int EstimateOutputTokens(string text) => (int)Math.Min(((long)text.Length + 3) / 4, int.MaxValue);
}
