using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Vigor.Core.Infrastructure.Http;

/// <summary>
/// Reads a JSON request body with explicit limits: wrong media type 415, too large 413, malformed or
/// mistyped 400 naming the field. Unknown members are ignored, which is what stops mass assignment.
/// </summary>
public static class JsonBody
{
    public const int DefaultMaxBytes = 64 * 1024;

    public static async Task<(T? Value, ProblemResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (!IsJson(request.ContentType))
            return (null, Problems.Create(415, "unsupported_media_type", "Unsupported media type.", "Send the body as application/json."));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            return (null, Problems.Create(400, "body_required", "A JSON body is required."));

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), VigorJson.Options);
            return value is null
                ? (null, Problems.Create(400, "body_required", "A JSON object is required.", "The body was JSON null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            // Syntax errors carry the reader's exception; a value of the wrong type does not.
            var field = e.InnerException?.GetType().Name == "JsonReaderException" ? null : FieldName(e.Path);
            return field is null
                ? (null, Problems.Create(400, "malformed_json", "The body is not valid JSON.", $"Parsing stopped at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}."))
                : (null, Problems.Validation(field, "has the wrong type or format."));
        }
    }

    private static ProblemResult TooLarge(int maxBytes)
        => Problems.Create(413, "payload_too_large", "The body is too large.", $"The limit for this route is {maxBytes / 1024} KiB.");

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    // "$.profile.goals[2]" -> "profile.goals[2]"; "$" or null -> null (the document itself is broken).
    private static string? FieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return null;
        var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return name.Length == 0 ? null : name;
    }
}
