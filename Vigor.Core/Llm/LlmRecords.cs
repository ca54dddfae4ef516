namespace Vigor.Core.Llm;

/// <summary>One turn of a conversation. <see cref="Role"/> is <c>system</c>, <c>user</c> or <c>assistant</c> (<see cref="LlmRoles"/>).</summary>
internal sealed record LlmMessage(string Role, string Content);

/// <summary>
/// What a feature asks of a model. <see cref="JsonOutput"/> asks for one JSON object (JSON mode where the vendor has it,
/// an instruction where it does not) and makes a reply that is not valid JSON, or was cut at the token limit, a failure.
/// </summary>
internal sealed record LlmRequest(IReadOnlyList<LlmMessage> Messages, int MaxOutputTokens, double? Temperature, bool JsonOutput);

/// <summary>
/// A model's reply. Tokens are the vendor's reported usage; only a stream that ended without a usage report (some
/// OpenAI-compatible servers ignore <c>stream_options.include_usage</c>) carries an estimate, and says so in
/// <see cref="UsageEstimated"/> (<see cref="CostCalculator.EstimateInputTokens"/>, <see cref="CostCalculator.EstimateOutputTokens"/>).
/// <see cref="Model"/> is the model the vendor says answered; <see cref="FinishReason"/> is the vendor's own word
/// (<c>stop</c>, <c>length</c>, <c>end_turn</c>, <c>max_tokens</c>...).
/// </summary>
internal sealed record LlmResponse(string Text, int InputTokens, int OutputTokens, string Model, string? FinishReason, bool UsageEstimated = false);

/// <summary>
/// A piece of reply text as it streamed in, from attempt <see cref="Attempt"/> of a <see cref="ProviderCaller"/> call. A
/// delta with a higher attempt number than the ones before means the earlier attempt failed: drop what it sent.
/// </summary>
internal readonly record struct LlmDelta(int Attempt, string Text);

/// <summary>Tokens a vendor billed for a reply that was then rejected (cut at the limit, not JSON): the ledger still owes them.</summary>
internal readonly record struct LlmUsage(int InputTokens, int OutputTokens);

internal static class LlmRoles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}
