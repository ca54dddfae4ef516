using System.Text.Json;

namespace Vigor.Core.Llm.Providers;

/// <summary>Reads vendor bodies without trusting them: every lookup tolerates any shape.</summary>
internal static class ResponseInspector
{
    /// <summary>
    /// Checks a 2xx body before the SDK sees it. Null when it is a JSON object that is not an error; otherwise the
    /// failure: an error object (<c>{"error":{...}}</c> OpenAI-style, <c>{"type":"error",...}</c> Anthropic-style) is
    /// <see cref="LlmFailure.ErrorBody"/>, anything that is not a JSON object is <see cref="LlmFailure.Malformed"/>.
    /// </summary>
    public static LlmProviderException? CheckReply(ReadOnlySpan<byte> body, int status)
    {
        if (body.IsEmpty)
            return new LlmProviderException(LlmFailure.Malformed, status, null, $"HTTP {status} with an empty body.");
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new LlmProviderException(LlmFailure.Malformed, status, null, $"HTTP {status} whose body is a JSON {root.ValueKind}, not an object.");
            var isError = (root.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.False))
                || (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("error"u8));
            return isError
                ? new LlmProviderException(LlmFailure.ErrorBody, status, null, $"HTTP {status} whose body is an error object ({ErrorCode(root) ?? "no code"}).")
                : null;
        }
        catch (JsonException ex)
        {
            return new LlmProviderException(LlmFailure.Malformed, status, null, $"HTTP {status} whose body is not valid JSON.", ex);
        }
    }

    /// <summary>The vendor's error type and code from an error body, e.g. <c>rate_limit_error</c>; never the message, which may quote input or a key fragment.</summary>
    public static string? ErrorCode(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return ErrorCode(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ErrorCode(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error))
            return null;
        if (error.ValueKind != JsonValueKind.Object)
            return null;
        var parts = new[] { Text(error, "type"), Text(error, "code") }.Where(p => !string.IsNullOrEmpty(p)).Distinct().ToArray();
        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
            return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        // A code is a short identifier; anything longer is prose and stays out of logs.
        return text is { Length: <= 64 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? text : null;
    }
}
