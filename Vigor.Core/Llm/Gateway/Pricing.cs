namespace Vigor.Core.Llm.Gateway;

/// <summary>Cost in micro-dollars from a provider's price per million tokens: tokens × price exactly, rounded up.</summary>
public static class Pricing
{
    public static long Micros(ProviderRow provider, long inputTokens, long outputTokens)
        => (long)Math.Ceiling(inputTokens * provider.InputPricePerMillion + outputTokens * provider.OutputPricePerMillion);

    /// <summary>
    /// An upper-biased input estimate for reservations: one token per 3 characters plus 8 per message (English
    /// averages about 4 characters a token). Settling uses the vendor's reported count.
    /// </summary>
    public static int EstimateInputTokens(IReadOnlyList<PromptMessage> messages)
        => messages.Sum(m => (m.Content.Length + 2) / 3 + 8);
}
