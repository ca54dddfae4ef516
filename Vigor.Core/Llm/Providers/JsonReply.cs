using System.Text.Json;

namespace Vigor.Core.Llm.Providers;

/// <summary>Checks a reply for a request that asked for JSON.</summary>
internal static class JsonReply
{
    /// <summary>Added to the system prompt when JSON is requested.</summary>
    public const string Instruction = "Reply with a single JSON object and nothing else: no prose, no Markdown.";

    /// <summary>
    /// The reply as clean JSON text, or the failure: cut at the token limit is <see cref="LlmFailure.Truncated"/>, not an
    /// object or array is <see cref="LlmFailure.Malformed"/>. One surrounding Markdown code fence is removed, since models
    /// without a JSON mode (Anthropic, many local servers) like to add one.
    /// </summary>
    public static string Require(string text, bool hitTokenLimit, LlmUsage usage, string providerName)
    {
        if (hitTokenLimit)
            throw new LlmProviderException(LlmFailure.Truncated, 200, null, $"{providerName} stopped at the output token limit before the JSON was complete.")
            {
                BilledUsage = usage,
            };
        var json = Unfence(text.Trim());
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                return json;
        }
        catch (JsonException)
        {
        }
        throw new LlmProviderException(LlmFailure.Malformed, 200, null, $"{providerName} was asked for JSON and replied with something else.")
        {
            BilledUsage = usage,
        };
    }

    private static string Unfence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
            return text;
        var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        return firstLineEnd < 0 ? text : text[(firstLineEnd + 1)..^3].Trim();
    }
}
