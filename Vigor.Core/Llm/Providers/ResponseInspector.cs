using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vigor.Core.Llm.Providers;

/// <summary>Reads vendor bodies without trusting them: every lookup tolerates any shape.</summary>
internal static partial class ResponseInspector
{
    private const int MaxVendorMessage = 200;

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

    /// <summary>
    /// The failure an error event in a stream stands for, or null when <paramref name="data"/> is not an error object. The
    /// status is already 200, so the vendor's error type decides: overloaded or internal errors are
    /// <see cref="LlmFailure.ServerError"/> and rate limits <see cref="LlmFailure.RateLimited"/> (both worth a retry), the
    /// rest <see cref="LlmFailure.ErrorBody"/>. The message carries the vendor's own words, shortened and with anything
    /// key-like masked, since an error event is the only account of what went wrong.
    /// </summary>
    public static LlmProviderException? StreamError(ReadOnlySpan<byte> data, bool errorEvent, int eventsBefore)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return errorEvent ? new LlmProviderException(LlmFailure.ErrorBody, 200, null, $"The stream sent an unreadable error event after {eventsBefore} events.") : null;
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind is JsonValueKind.Null or JsonValueKind.False)
            return errorEvent ? new LlmProviderException(LlmFailure.ErrorBody, 200, null, $"The stream sent an error event after {eventsBefore} events.") : null;

        var code = ErrorCode(root) ?? "no code";
        var kind = code switch
        {
            _ when code.Contains("overloaded", StringComparison.Ordinal) || code.Contains("server_error", StringComparison.Ordinal)
                || code.Contains("api_error", StringComparison.Ordinal) || code.Contains("internal", StringComparison.Ordinal) => LlmFailure.ServerError,
            _ when code.Contains("rate_limit", StringComparison.Ordinal) => LlmFailure.RateLimited,
            _ => LlmFailure.ErrorBody,
        };
        var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var said) && said.ValueKind == JsonValueKind.String
            ? VendorMessage(said.GetString()!)
            : "no message";
        return new LlmProviderException(kind, 200, null, $"The stream sent an error after {eventsBefore} events ({code}): {message}");
    }

    /// <summary>A vendor's error message fit for an exception: one line, at most 200 characters, key-like strings masked.</summary>
    internal static string VendorMessage(string message)
    {
        var masked = KeyLike().Replace(message, "***");
        var oneLine = new string([.. masked.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return oneLine.Length <= MaxVendorMessage ? oneLine : string.Concat(oneLine.AsSpan(0, MaxVendorMessage), "…");
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

    // sk-..., sk-ant-..., long hex or base64 runs: what API keys and tokens look like.
    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-*]{3,}|\b[A-Za-z0-9+/_\-]{32,}")]
    private static partial Regex KeyLike();
}
