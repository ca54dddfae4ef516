using Microsoft.AspNetCore.Http;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Billing;

/// <summary>Reads a webhook body as the exact bytes sent: the signature covers them, so nothing may re-encode them.</summary>
public static class WebhookBody
{
    /// <summary>Stripe events are well under this; the local host caps bodies at 1 MiB anyway.</summary>
    public const int MaxBytes = 512 * 1024;

    public static async Task<(ReadOnlyMemory<byte> Body, ProblemResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return (default, TooLarge());
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return (default, TooLarge());
            buffer.Write(chunk, 0, read);
        }
        return buffer.Length == 0
            ? (default, Problems.Create(400, "body_required", "A body is required."))
            : (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    private static ProblemResult TooLarge()
        => Problems.Create(413, "payload_too_large", "The body is too large.", $"The limit for this route is {MaxBytes / 1024} KiB.");
}
