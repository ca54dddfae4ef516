using System.Net.Http.Headers;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// The transport under every provider SDK (the <c>vigor-llm</c> HttpClient). It applies the attempt's limits from
/// <see cref="LlmCallScope"/>: the total timeout over headers and body, the stall timeout and the size cap (through
/// <see cref="GuardedStream"/>), and reads the body here, so that a truncated, oversized, stalled, malformed or
/// "200 with an error" reply becomes a classified <see cref="LlmProviderException"/> before the SDK parses anything.
/// Bodies are buffered (never past the cap), except a 2xx event stream for a streaming attempt: that is handed to the
/// SDK as it arrives, through <see cref="SseGuardStream"/>, with the first-token bound on headers and first byte.
/// </summary>
internal sealed class GuardedHttpHandler(TimeProvider time) : DelegatingHandler
{
    // Error bodies are a few hundred bytes; what a vendor says past this adds nothing to the status.
    private const int ErrorBodyLimit = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = LlmCallScope.Current;
        var limits = scope?.Limits ?? TransportLimits.Default;
        using var ownDeadline = scope is null ? new CancellationTokenSource(limits.Timeout, time) : null;
        var deadline = scope?.Deadline ?? ownDeadline!.Token;
        // Owned by the event stream once the response is handed on; disposed here otherwise.
        var firstToken = scope is { Streaming: true } ? new CancellationTokenSource(limits.FirstTokenTimeout ?? limits.Timeout, time) : null;
        try
        {
            var (response, streamed) = await SendGuardedAsync(request, scope, limits, deadline, firstToken, cancellationToken);
            if (streamed)
                firstToken = null;
            return response;
        }
        finally
        {
            firstToken?.Dispose();
        }
    }

    private async Task<(HttpResponseMessage Response, bool Streamed)> SendGuardedAsync(
        HttpRequestMessage request, LlmCallScope? scope, TransportLimits limits, CancellationToken deadline, CancellationTokenSource? firstToken,
        CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline, firstToken?.Token ?? CancellationToken.None);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw Fail(scope, new LlmProviderException(LlmFailure.Timeout, $"No response within the {Seconds(limits.Timeout)} s timeout.", ex));
        }
        catch (OperationCanceledException ex) when (firstToken is { IsCancellationRequested: true })
        {
            throw Fail(scope, new LlmProviderException(LlmFailure.Timeout,
                $"No response within the {Seconds(limits.FirstTokenTimeout ?? limits.Timeout)} s first-token timeout.", ex));
        }
        catch (HttpRequestException ex)
        {
            throw Fail(scope, new LlmProviderException(LlmFailure.ServerError, $"The provider could not be reached ({ex.HttpRequestError}).", ex));
        }

        var status = (int)response.StatusCode;
        var success = response.IsSuccessStatusCode;
        var retryAfter = RetryAfterHeader.Read(response.Headers, time);
        if (scope is not null)
        {
            scope.StatusCode = status;
            scope.RetryAfter = retryAfter;
        }

        try
        {
            if (success && firstToken is not null && IsEventStream(response.Content))
                return (await StreamedAsync(response, scope!, limits, deadline, firstToken, linked.Token), true);

            var bodyLimits = success ? limits : limits with { MaxResponseBytes = Math.Min(limits.MaxResponseBytes, ErrorBodyLimit) };
            ArraySegment<byte> body;
            try
            {
                body = await ReadBodyAsync(response.Content, bodyLimits, deadline, linked.Token);
            }
            catch (LlmProviderException) when (!success && !deadline.IsCancellationRequested)
            {
                // A failed status says more than its unreadable body: hand the SDK the status with no body.
                body = ArraySegment<byte>.Empty;
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested || firstToken is { IsCancellationRequested: true })
            {
                throw new LlmProviderException(LlmFailure.Timeout, status, retryAfter, "The response body was not in within the attempt's timeout.", ex);
            }

            if (success)
            {
                if (ResponseInspector.CheckReply(body, status) is { } problem)
                    throw problem;
                if (firstToken is not null)
                    throw new LlmProviderException(LlmFailure.Malformed, status, null,
                        $"A stream was asked for and the reply is {response.Content.Headers.ContentType?.MediaType ?? "untyped"}, not text/event-stream.");
                if (scope is not null)
                    scope.ReplyReceived = true;
            }
            else if (scope is not null)
            {
                scope.VendorErrorCode = ResponseInspector.ErrorCode(body);
            }

            response.Content = Buffered(response.Content, body);
            return (response, false);
        }
        catch (LlmProviderException ex)
        {
            response.Dispose();
            throw Fail(scope, ex.StatusCode is null ? new LlmProviderException(ex.Kind, status, retryAfter, ex.Message, ex.InnerException) : ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> StreamedAsync(
        HttpResponseMessage response, LlmCallScope scope, TransportLimits limits, CancellationToken deadline, CancellationTokenSource firstToken, CancellationToken ct)
    {
        var original = response.Content;
        var declared = DeclaredLength(original, limits);
        var source = await original.ReadAsStreamAsync(ct);
        var guarded = new GuardedStream(source, limits, declared, deadline, time, firstToken.Token);
        var streamed = new StreamContent(new SseGuardStream(guarded, scope, firstToken));
        foreach (var header in original.Headers)
            streamed.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = streamed;
        scope.ReplyReceived = true;
        return response;
    }

    private static bool IsEventStream(HttpContent content)
        => string.Equals(content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static long? DeclaredLength(HttpContent content, TransportLimits limits)
    {
        var declared = content.Headers.ContentLength;
        return declared > limits.MaxResponseBytes
            ? throw new LlmProviderException(LlmFailure.Oversized, $"The response declares {declared} bytes, over the {limits.MaxResponseBytes}-byte limit.")
            : declared;
    }

    private async Task<ArraySegment<byte>> ReadBodyAsync(HttpContent content, TransportLimits limits, CancellationToken deadline, CancellationToken ct)
    {
        var declared = DeclaredLength(content, limits);
        var source = await content.ReadAsStreamAsync(ct);
        await using var guarded = new GuardedStream(source, limits, declared, deadline, time);
        using var buffer = new MemoryStream((int)Math.Min(declared ?? 16 * 1024, limits.MaxResponseBytes));
        await guarded.CopyToAsync(buffer, 16 * 1024, ct);
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ByteArrayContent Buffered(HttpContent original, ArraySegment<byte> body)
    {
        var buffered = new ByteArrayContent(body.Array ?? [], body.Offset, body.Count);
        foreach (var header in original.Headers)
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        buffered.Headers.ContentLength = body.Count;
        buffered.Headers.ContentType ??= new MediaTypeHeaderValue("application/json");
        original.Dispose();
        return buffered;
    }

    private static LlmProviderException Fail(LlmCallScope? scope, LlmProviderException exception) => scope?.Fail(exception) ?? exception;

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
