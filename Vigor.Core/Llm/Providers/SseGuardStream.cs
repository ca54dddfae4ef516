namespace Vigor.Core.Llm.Providers;

/// <summary>
/// A streamed (SSE) response body as the SDK reads it, on top of <see cref="GuardedStream"/> (stall, first byte, deadline,
/// size cap, dropped connection). It follows the event framing as the bytes pass and fails the attempt, before the SDK
/// sees anything past it, when an <c>error</c> event arrives (Anthropic's <c>event: error</c>, OpenAI's and Azure's
/// <c>data: {"error":...}</c>) or when the body ends without the vendor's terminal event: OpenAI's <c>data: [DONE]</c> or
/// Anthropic's <c>message_stop</c>. The events before an error still reach the SDK, the read after it throws. The SDKs themselves take a stream that simply stops for a finished one. Every failure
/// is recorded on the scope, because the SDKs may wrap what a stream throws.
/// </summary>
internal sealed class SseGuardStream(GuardedStream inner, LlmCallScope? scope, IDisposable? firstTokenTimer) : Stream
{
    // Only short fields matter here ([DONE], event names, error objects); longer lines are content and are not kept.
    private const int MaxInspectedBytes = 64 * 1024;

    private readonly byte[] line = new byte[MaxInspectedBytes];
    private readonly MemoryStream data = new();
    private int lineLength;
    private bool lineTooLong;
    private bool dataTooLong;
    private bool afterCarriageReturn;
    private string? eventType;
    private LlmProviderException? pending;

    public int Events { get; private set; }

    public bool Terminated { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => inner.BytesReceived; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (pending is not null)
            throw pending;
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (LlmProviderException ex)
        {
            throw Record(ex);
        }
        if (read == 0)
        {
            if (buffer.Length > 0 && !Terminated)
                throw Record(new LlmProviderException(LlmFailure.Truncated,
                    $"The stream ended after {Events} events without its terminal event ([DONE] / message_stop)."));
            return read;
        }
        return Scan(buffer.Span[..read]);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            data.Dispose();
            firstTokenTimer?.Dispose();
        }
        base.Dispose(disposing);
    }

    // Lines end in \n, \r\n or \r; a blank line ends an event (the WHATWG event-stream rules). Returns how many bytes
    // the SDK may see: all of them, or those up to the end of an error event.
    private int Scan(ReadOnlySpan<byte> all)
    {
        var bytes = all;
        while (!bytes.IsEmpty && pending is null)
        {
            if (afterCarriageReturn && bytes[0] == (byte)'\n')
                bytes = bytes[1..];
            afterCarriageReturn = false;
            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            var part = end < 0 ? bytes : bytes[..end];
            if (lineLength + part.Length <= line.Length)
            {
                part.CopyTo(line.AsSpan(lineLength));
                lineLength += part.Length;
            }
            else
            {
                lineTooLong = true;
            }
            if (end < 0)
                break;
            afterCarriageReturn = bytes[end] == (byte)'\r';
            EndLine();
            bytes = bytes[(end + 1)..];
        }
        return all.Length - (pending is null ? 0 : bytes.Length);
    }

    private void EndLine()
    {
        var text = line.AsSpan(0, lineLength);
        var tooLong = lineTooLong;
        lineLength = 0;
        lineTooLong = false;
        if (text.IsEmpty && !tooLong)
        {
            EndEvent();
            return;
        }
        var colon = text.IndexOf((byte)':');
        var field = colon < 0 ? text : text[..colon];
        var value = colon < 0 ? [] : text[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
            value = value[1..];
        if (field.SequenceEqual("event"u8))
        {
            eventType = System.Text.Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual("data"u8))
        {
            if (data.Length > 0)
                data.WriteByte((byte)'\n');
            dataTooLong |= tooLong || data.Length + value.Length > MaxInspectedBytes;
            if (!dataTooLong)
                data.Write(value);
        }
    }

    private void EndEvent()
    {
        var type = eventType;
        var payload = new ReadOnlySpan<byte>(data.GetBuffer(), 0, (int)data.Length);
        var inspectable = !dataTooLong;
        var empty = type is null && data.Length == 0 && !dataTooLong;
        eventType = null;
        dataTooLong = false;
        if (empty)
            return;
        try
        {
            Events++;
            if (type == "message_stop" || (inspectable && payload.SequenceEqual("[DONE]"u8)))
                Terminated = true;
            else if (type == "error" || (inspectable && payload.IndexOf("\"error\""u8) >= 0))
            {
                if (ResponseInspector.StreamError(payload, type == "error", Events - 1) is { } failure)
                {
                    if (scope is not null)
                        scope.VendorErrorCode ??= ResponseInspector.ErrorCode(payload);
                    pending = Record(failure);
                }
            }
        }
        finally
        {
            data.SetLength(0);
        }
    }

    private LlmProviderException Record(LlmProviderException exception)
    {
        var classified = exception.StatusCode is null
            ? new LlmProviderException(exception.Kind, scope?.StatusCode ?? 200, null, exception.Message, exception.InnerException)
            : exception;
        return scope?.Fail(classified) ?? classified;
    }
}
