using System.Text;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// A reply being streamed in: the text (each piece handed on to the caller as it arrives), the model, the finish reason
/// and the usage from the vendor's final events, made into one <see cref="LlmResponse"/> when the stream is done.
/// </summary>
internal sealed class StreamedReply(ProviderConfig config, LlmRequest request, Action<string>? onDelta)
{
    private readonly StringBuilder text = new();

    public string? Model { get; set; }

    public string? FinishReason { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public void Append(string? delta)
    {
        if (string.IsNullOrEmpty(delta))
            return;
        text.Append(delta);
        onDelta?.Invoke(delta);
    }

    /// <summary>
    /// The whole reply. No finish reason means no choice or message ever finished: <see cref="LlmFailure.Truncated"/>.
    /// Missing usage is estimated (<see cref="CostCalculator"/>'s 4-characters-per-token rule) and marked.
    /// </summary>
    public LlmResponse Finish(bool hitTokenLimit)
    {
        if (FinishReason is null)
            throw new LlmProviderException(LlmFailure.Truncated, 200, null, $"{config.Name}'s stream ended without a finish reason.");
        var reply = text.ToString();
        var estimated = InputTokens is null || OutputTokens is null;
        var usage = new LlmUsage(InputTokens ?? CostCalculator.EstimateInputTokens(request), OutputTokens ?? CostCalculator.EstimateOutputTokens(reply));
        if (request.JsonOutput)
            reply = JsonReply.Require(reply, hitTokenLimit, usage, config.Name);
        return new LlmResponse(reply, usage.InputTokens, usage.OutputTokens, string.IsNullOrEmpty(Model) ? config.Model : Model, FinishReason, estimated);
    }
}
